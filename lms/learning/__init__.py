"""Taking modules: enrolments, lesson progress, knowledge checks, Mijn leren and the
module statistics."""
