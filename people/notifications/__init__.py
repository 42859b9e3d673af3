"""What Vaardig tells a person: an e-mail in their language and the same message kept for
them on the site (recent notifications), each event once. See models.py and services.py."""
