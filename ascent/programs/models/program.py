from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Program(models.Model):
    """A recurring selection run by an organisation."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    organisation = models.CharField(_("organisation"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    translations = models.JSONField(
        _("translations"), default=dict, blank=True,
        help_text=_('The name, organisation and description in other languages, by language: '
                    '{"es": {"Astronaut Candidate Program": "Programa de…"}}.'),
    )  # fmt: skip

    class Meta:
        ordering = ["name"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        from ascent.programs.domain.content import check_translations

        problems = check_translations(
            self.translations, known={self.name, self.organisation, self.description}
        )
        if problems:
            raise ValidationError({"translations": [f"{path}: {rule}" for path, rule in problems]})


class TeamRole(models.TextChoices):
    MANAGER = "manager", _("Manager")  # everything, release and decision changes included
    COORDINATOR = "coordinator", _("Coordinator")  # screening, panel, assignment, the board
    OBSERVER = "observer", _("Observer")  # reads everything, changes nothing


class TeamMember(models.Model):
    """A staff member's role in one program's team. A program with a team is seen only by
    its members (and the operator's superusers); one with none, by every staff member,
    as its manager (a small install, one team for everything)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="program_roles")  # fmt: skip
    role = models.CharField(_("role"), max_length=16, choices=TeamRole.choices,
                            default=TeamRole.MANAGER)  # fmt: skip

    class Meta:
        ordering = ["program", "role", "user"]
        verbose_name = _("team member")
        verbose_name_plural = _("team")
        constraints = [
            models.UniqueConstraint(fields=["program", "user"], name="team_member_once"),
            models.CheckConstraint(
                condition=models.Q(role__in=TeamRole.values), name="team_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"
