"""Build the rubric extension module against an installed librubric.

The module links the static public archive (librubric.a, which defines no
global name outside rubric_) and its private libraries, so that the
installed module is self-contained: it needs no librubric.so at run time.

Where librubric is found, in order:
  - RUBRIC_PREFIX: the prefix it was installed into
    (cmake --install build --prefix DIR), found through DIR's rubric.pc;
  - pkg-config's own search path (PKG_CONFIG_PATH, the system's).
"""
import glob
import os
import shlex
import subprocess

from setuptools import Extension, setup


def pkg_config(*args):
    env = dict(os.environ)
    prefix = os.environ.get("RUBRIC_PREFIX")
    if prefix:
        dirs = glob.glob(os.path.join(prefix, "lib*", "**", "pkgconfig"), recursive=True)
        env["PKG_CONFIG_PATH"] = os.pathsep.join(dirs + [env.get("PKG_CONFIG_PATH", "")])
    try:
        out = subprocess.run(["pkg-config", *args, "rubric"], env=env, check=True,
                             capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        raise SystemExit(
            "rubric: pkg-config cannot find librubric; install it (cmake --install) and set "
            "RUBRIC_PREFIX to its prefix, or PKG_CONFIG_PATH to the directory of rubric.pc "
            f"({e})")
    return shlex.split(out)


def static_link():
    """The archive itself, then the libraries it needs (Libs.private)."""
    libdir = pkg_config("--variable=libdir")[0]
    archive = os.path.join(libdir, "librubric.a")
    if not os.path.exists(archive):
        raise SystemExit(f"rubric: no static library {archive}")
    flags = [f for f in pkg_config("--static", "--libs") if f not in ("-lrubric", f"-L{libdir}")]
    return [archive], flags


objects, link_flags = static_link()
# The project's tests build with warnings as errors (RUBRIC_WERROR=1).
werror = ["-Werror"] if os.environ.get("RUBRIC_WERROR") == "1" else []
here = os.path.dirname(os.path.abspath(__file__))
sources = sorted(glob.glob(os.path.join("src", "*.c")))

setup(
    name="rubric",
    version="0.1.0",
    description="Rubric: partner-program rules compiled and evaluated (CPython binding)",
    packages=["rubric"],
    package_data={"rubric": ["__init__.pyi", "py.typed"]},
    ext_modules=[
        Extension(
            "rubric._rubric",
            sources=sources,
            extra_compile_args=pkg_config("--cflags") + ["-std=c11", "-Wall", "-Wextra"] + werror,
            extra_objects=objects,
            extra_link_args=link_flags,
        )
    ],
    python_requires=">=3.9",
)
