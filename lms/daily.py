from django_tasks import task

from competencies.snapshots import coverage_snapshot_take
from competencies.status import statuses_lapse, statuses_repair, statuses_units_sync
from lms.certificates.services import certificate_expiry_reminders
from lms.page_cache.triggers import changes_prune
from lms.training.assignments import assignments_apply
from lms.training.reminders import assignment_reminders_send, team_digests_send
from people.personal_data import leavers_erase
from people.roster import roster_files_delete


def daily_run() -> list[str]:
    """The daily round, in order: levels and assignments first, so that reminders and the
    coverage snapshot see today's picture."""
    lapsed, moved = statuses_lapse(), statuses_units_sync()
    # After the writers that are expected to change statuses, anything still differing from
    # the rules is drift: corrected and reported, so that someone looks for its cause.
    corrected = statuses_repair()
    created, withdrawn = assignments_apply()
    return [
        f"{lapsed} competence status(es) recomputed, {moved} moved to their employee's unit.",
        f"{corrected} statuses corrected.",
        f"{created} assignment(s) made, {withdrawn} withdrawn.",
        f"{assignment_reminders_send()} assignment reminder(s) sent.",
        f"{team_digests_send()} team digest(s) sent.",
        f"{certificate_expiry_reminders()} certificate reminder(s) sent.",
        # Replaced every day; the last run of a month is the month's snapshot.
        f"Coverage snapshot of {coverage_snapshot_take().month:%Y-%m} stored.",
        # Roster files hold everyone's personal data: kept only while HR may still apply them.
        f"{roster_files_delete()} roster file(s) deleted.",
        # After the snapshot: the month's figures are taken with everyone still counted.
        f"{leavers_erase()} people erased (leavers past their organisation's retention period).",
        # Last: the round's own writes leave marks too.
        f"{changes_prune()} change mark(s) forgotten.",
    ]


@task()
def daily_run_task() -> list[str]:
    return daily_run()
