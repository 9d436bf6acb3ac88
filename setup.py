"""The wheel carries the site's theme, plugin, default pages and settings.

They stay top-level folders of the repository (``theme/``, ``plugins/``,
``content/``, ``pelicanconf.py``), where a municipality and Pelican expect
them; an installed package finds its copy in ``generator/site``
(``generator.pages.render.ROOT``).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).parent
SITE = ("theme", "plugins", "content", "pelicanconf.py")


class BuildWithSite(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return  # an editable install runs from the checkout, which has them
        target = Path(self.build_lib) / "generator" / "site"
        for name in SITE:
            source = HERE / name
            if source.is_dir():
                shutil.copytree(
                    source, target / name, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo"),
                )
            else:
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / name)


setup(cmdclass={"build_py": BuildWithSite})
