"""A Sphinx extension that tells the pages whether this build has launch buttons.

The book's pages may say "open this chapter with the launch button" only where a launch button
exists, which depends on the build (:func:`rnnlib.book.build.launch_config` switches them on when the
repository is known). With a BinderHub URL configured, this extension sets the Sphinx tag
``launch``, so Markdown can state it once for each case::

    ```{only} launch
    The rocket icon at the top of a chapter opens it on Binder.
    ```
    ```{only} not launch
    This build has no launch button: run the chapters on your machine.
    ```
"""
from __future__ import annotations

__all__ = ["has_launch_buttons", "setup"]

#: The Sphinx tag set when the build has launch buttons.
TAG = "launch"


def has_launch_buttons(theme_options: dict | None) -> bool:
    """True when the sphinx-book-theme options (``html_theme_options``) configure a BinderHub URL."""
    buttons = (theme_options or {}).get("launch_buttons") or {}
    return bool(buttons.get("binderhub_url"))


def _tag(app, config) -> None:
    if has_launch_buttons(config.html_theme_options):
        app.tags.add(TAG)


def setup(app):
    app.connect("config-inited", _tag)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
