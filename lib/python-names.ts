/**
 * Names a generated Python package must not take. Taking one would shadow the standard library or a
 * dependency of the generated project, and the failure would show up far from its cause (an
 * `import json` that imports the user's package). Standard-library names are Python 3.11's
 * `sys.stdlib_module_names`; keywords are `keyword.kwlist` plus the soft keywords.
 */
export const PYTHON_KEYWORDS: ReadonlySet<string> = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'case', 'match']);

export const PYTHON_STDLIB: ReadonlySet<string> = new Set([
  'abc', 'aifc', 'antigravity', 'argparse', 'array', 'ast', 'asynchat', 'asyncio', 'asyncore', 'atexit',
  'audioop', 'base64', 'bdb', 'binascii', 'bisect', 'builtins', 'bz2', 'cProfile', 'calendar', 'cgi',
  'cgitb', 'chunk', 'cmath', 'cmd', 'code', 'codecs', 'codeop', 'collections', 'colorsys', 'compileall',
  'concurrent', 'configparser', 'contextlib', 'contextvars', 'copy', 'copyreg', 'crypt', 'csv', 'ctypes',
  'curses', 'dataclasses', 'datetime', 'dbm', 'decimal', 'difflib', 'dis', 'distutils', 'doctest', 'email',
  'encodings', 'ensurepip', 'enum', 'errno', 'faulthandler', 'fcntl', 'filecmp', 'fileinput', 'fnmatch',
  'fractions', 'ftplib', 'functools', 'gc', 'genericpath', 'getopt', 'getpass', 'gettext', 'glob',
  'graphlib', 'grp', 'gzip', 'hashlib', 'heapq', 'hmac', 'html', 'http', 'idlelib', 'imaplib', 'imghdr',
  'imp', 'importlib', 'inspect', 'io', 'ipaddress', 'itertools', 'json', 'keyword', 'lib2to3', 'linecache',
  'locale', 'logging', 'lzma', 'mailbox', 'mailcap', 'marshal', 'math', 'mimetypes', 'mmap', 'modulefinder',
  'msilib', 'msvcrt', 'multiprocessing', 'netrc', 'nis', 'nntplib', 'nt', 'ntpath', 'nturl2path', 'numbers',
  'opcode', 'operator', 'optparse', 'os', 'ossaudiodev', 'pathlib', 'pdb', 'pickle', 'pickletools', 'pipes',
  'pkgutil', 'platform', 'plistlib', 'poplib', 'posix', 'posixpath', 'pprint', 'profile', 'pstats', 'pty',
  'pwd', 'py_compile', 'pyclbr', 'pydoc', 'pydoc_data', 'pyexpat', 'queue', 'quopri', 'random', 're',
  'readline', 'reprlib', 'resource', 'rlcompleter', 'runpy', 'sched', 'secrets', 'select', 'selectors',
  'shelve', 'shlex', 'shutil', 'signal', 'site', 'smtpd', 'smtplib', 'sndhdr', 'socket', 'socketserver',
  'spwd', 'sqlite3', 'sre_compile', 'sre_constants', 'sre_parse', 'ssl', 'stat', 'statistics', 'string',
  'stringprep', 'struct', 'subprocess', 'sunau', 'symtable', 'sys', 'sysconfig', 'syslog', 'tabnanny',
  'tarfile', 'telnetlib', 'tempfile', 'termios', 'textwrap', 'this', 'threading', 'time', 'timeit',
  'tkinter', 'token', 'tokenize', 'tomllib', 'trace', 'traceback', 'tracemalloc', 'tty', 'turtle',
  'turtledemo', 'types', 'typing', 'unicodedata', 'unittest', 'urllib', 'uu', 'uuid', 'venv', 'warnings',
  'wave', 'weakref', 'webbrowser', 'winreg', 'winsound', 'wsgiref', 'xdrlib', 'xml', 'xmlrpc', 'zipapp',
  'zipfile', 'zipimport', 'zlib', 'zoneinfo',
]);

/** Packages the generated project installs or that are common enough to collide on `import`. */
export const RESERVED_PACKAGES: ReadonlySet<string> = new Set([
  'test', 'tests', 'src', 'lib', 'main', 'app', 'config', 'data', 'models', 'notebooks', 'scripts', 'setup',
  'numpy', 'pandas', 'scipy', 'sklearn', 'scikit_learn', 'joblib', 'matplotlib', 'pyarrow', 'pydantic',
  'pydantic_core', 'yaml', 'typer', 'click', 'fastapi', 'starlette', 'uvicorn', 'httpx', 'pytest', 'ruff',
  'requests', 'torch', 'tensorflow', 'keras', 'xgboost', 'lightgbm', 'mlflow', 'dvc', 'onnx', 'skl2onnx',
  'sklearn2pmml', 'skops', 'seaborn', 'jupyter', 'ipython', 'IPython', 'notebook', 'setuptools', 'pip', 'wheel',
  'threadpoolctl', 'anyio', 'ipykernel', 'jupyterlab', 'jupyter_client', 'jupyter_core', 'jupyter_server',
  'nbclient', 'nbconvert', 'nbformat',
]);

/**
 * Distributions the generated project installs (pyproject.toml: runtime, dev and build requirements).
 * A project may not share a name with one: pip would resolve "my project needs pandas" to the project
 * itself and give up. A test checks this list against the rendered pyproject.toml.
 */
export const PROJECT_DEPENDENCIES: ReadonlySet<string> = new Set([
  'fastapi', 'joblib', 'matplotlib', 'numpy', 'pandas', 'pyarrow', 'pydantic', 'pyyaml', 'scikit-learn',
  'threadpoolctl', 'typer', 'uvicorn', 'httpx', 'ipykernel', 'jupyterlab', 'nbconvert', 'pytest', 'ruff',
  'setuptools', 'pip', 'wheel',
]);
