"""Compiles the project's Cython modules in place (`make gen` runs this; the results are never committed).

berichten.codec._decode walks libxml2's nodes through lxml's C interface, so it is compiled against the
headers of the lxml that is installed (lxml.get_include()).
"""

from __future__ import annotations

import sys
from pathlib import Path

import lxml
from Cython.Build import cythonize
from setuptools import Extension
from setuptools.dist import Distribution

ROOT = Path(__file__).resolve().parent.parent
MODULES = {"berichten.codec._decode": "services/berichten/codec/_decode.pyx"}


def main() -> int:
    extensions = [
        Extension(name, [str(ROOT / source)], include_dirs=lxml.get_include(), extra_compile_args=["-O2", "-w"])
        for name, source in MODULES.items()
    ]
    modules = cythonize(extensions, build_dir=str(ROOT / "build/cython"), quiet=True, compiler_directives={"language_level": 3})
    dist = Distribution({"ext_modules": modules, "package_dir": {"": str(ROOT / "services")}})
    command = dist.get_command_obj("build_ext")
    command.inplace = True
    command.build_temp = str(ROOT / "build/cython/temp")
    command.ensure_finalized()
    command.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
