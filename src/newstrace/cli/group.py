"""The `newstrace` group's conventions: commands listed in `--help` by job (the main job first),
and `-q/--quiet`, `-v/--verbose` accepted before or after the subcommand."""

from __future__ import annotations

import logging
import sys

import click

# Sections of `newstrace --help`, in order; a command not named here is listed last.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("The main job: a pile of articles to stories, provenance and facts",
     ("analyze", "stories", "trace", "facts", "report", "serve")),
    ("One article or one pair", ("check", "compare", "why", "show")),
    ("Step by step", ("ingest", "relate", "articles", "relations")),
    ("Data out, scale-out and set-up", ("export", "import", "spark", "doctor")),
)
OTHER = "Other commands"

# Exit codes, shown under `newstrace --help` and in docs/cli.md.
EXIT_CODES = (
    (0, "success"),
    (1, "an error the command reports: no such collection, article or story; an input that "
        "cannot be read; `ingest`: nothing usable was ingested"),
    (2, "usage error (a missing argument, an unknown option), or a store that cannot be "
        "opened or migrated"),
    (3, "`ingest --strict`: some input was skipped"),
    (4, "`ingest`: a document failed unexpectedly (a bug: please report it)"),
)


def configure_logging(context: click.Context) -> None:
    """stderr logging at the level the root context's -q / -v counts ask for."""
    settings = context.find_root().ensure_object(dict)
    levels = (logging.WARNING, logging.INFO, logging.DEBUG)
    level = (logging.ERROR if settings.get("quiet")
             else levels[min(settings.get("verbose", 0), 2)])
    logging.basicConfig(stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(level)


def _set_quiet(context: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        context.find_root().ensure_object(dict)["quiet"] = True
        configure_logging(context)


def _add_verbose(context: click.Context, _param: click.Parameter, value: int) -> None:
    if value:
        settings = context.find_root().ensure_object(dict)
        settings["verbose"] = settings.get("verbose", 0) + value
        configure_logging(context)


def verbosity_options() -> list[click.Option]:
    """-q and -v for a subcommand: the same settings as the group's, after its name."""
    return [
        click.Option(["-v", "--verbose"], count=True, expose_value=False,
                     callback=_add_verbose, help="More log lines on stderr (-vv for debug)."),
        click.Option(["-q", "--quiet"], is_flag=True, expose_value=False, callback=_set_quiet,
                     help="No progress bars and no log lines but errors."),
    ]


class JobGroup(click.Group):
    """A click group that lists its commands by job and gives each the verbosity options."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        taken = {opt for param in cmd.params for opt in getattr(param, "opts", [])}
        cmd.params.extend(option for option in verbosity_options()
                          if not taken & set(option.opts))
        super().add_command(cmd, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        listed = {name: self.commands[name] for name in self.list_commands(ctx)
                  if not self.commands[name].hidden}
        width = formatter.width - 6 - max((len(name) for name in listed), default=0)
        placed: set[str] = set()
        for title, names in (*SECTIONS, (OTHER, tuple(listed))):
            rows = [(name, listed[name].get_short_help_str(width)) for name in names
                    if name in listed and name not in placed]
            placed.update(name for name, _ in rows)
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Exit codes"):
            formatter.write_dl([(str(code), meaning) for code, meaning in EXIT_CODES])
        super().format_epilog(ctx, formatter)

