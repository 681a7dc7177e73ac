"""ecspresso's template functions in a bundle's files, rendered before they are parsed.

ecspresso renders ``ecspresso.yml`` and both definitions with Go's text/template and these
functions (kayac/go-config; ecspresso's ssm plugin): ``{{ env `NAME` `default` }}``,
``{{ must_env `NAME` }}``, ``{{ ... | json_escape }}`` (or ``json_escape (...)``) and
``{{ ssm `/path` }}``. A bundle written for ecspresso must work unchanged, so the same actions
are rendered here; anything else in ``{{ }}`` is refused by name rather than left in a value.

Where values come from: ``env``/``must_env`` read the variables given to the run (the caller's
environment for ``lattice-deploy deploy``, which passes the ones the bundle names; an
``env.json`` object uploaded beside the bundle for the S3 trigger); ``ssm`` reads Parameter
Store (with decryption) in the account the run deploys to.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterator, Mapping

from ..core.errors import BundleInvalid
from . import ecspresso_yaml, jsonnet, plugins
from . import normalize as bundle

ACTION = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.S)
TOKEN = re.compile(
    r"`(?P<raw>[^`]*)`|\"(?P<quoted>(?:[^\"\\\\]|\\\\.)*)\"|(?P<pipe>\|)|(?P<open>\()"
    r"|(?P<close>\))|(?P<func>[A-Za-z_]\w*)|(?P<number>\d+)"
)
ENV_FILE = "env.json"
"""Beside an uploaded bundle: the variables its templates read (``{"NAME": "value"}``)."""

Lookup = Callable[[str], str]
MAX_ACTIONS = 1000
"""The most template actions one file may hold (a real definition has a handful)."""
MAX_NESTING = 16
"""The deepest ``( … )`` nesting of one action."""


class _Asked(Mapping[str, str]):
    """An environment that notes each variable a render reads."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env, self.asked = env, set[str]()

    def __getitem__(self, key: str) -> str:
        self.asked.add(key)
        return self.env[key]

    def __contains__(self, key: object) -> bool:
        self.asked.add(str(key))
        return key in self.env

    def __iter__(self) -> Iterator[str]:
        return iter(self.env)

    def __len__(self) -> int:
        return len(self.env)


def names(files: Mapping[str, str], env: Mapping[str, str]) -> set[str]:
    """The variables rendering ``files`` reads (``env``, ``must_env``, Jsonnet's natives too):
    found by rendering, so whatever the template or Jsonnet computes, nothing is missed. A
    render that fails stops the search; the run reports that failure itself."""
    asked = _Asked(env)
    with contextlib.suppress(BundleInvalid):
        render_files(files, asked, lambda name: f"ssm:{name}")
    return asked.asked


def ssm_names(
    texts: Mapping[str, str],
    env: Mapping[str, str],
    functions: Mapping[str, plugins.Function] | None = None,
) -> set[str]:
    """The Parameter Store names rendering ``texts`` reads, found as :func:`names` finds the
    variables: by rendering with a stand-in, so a name the template computes is found too. The
    run reads them in batches before the real render asks for each; a file whose render fails
    is skipped (the real render reports it)."""
    asked: set[str] = set()

    def note(name: str) -> str:
        asked.add(name)
        return f"ssm:{name}"

    for name, text in texts.items():
        with contextlib.suppress(BundleInvalid):
            render(text, name, env, note, functions)
    return asked


Value = str | bool
"""What an action yields: text, or a comparison's truth (``eq``, ``not``: Go's bool)."""
COMPARE: dict[str, tuple[int, int, Callable[[list[Value]], bool]]] = {
    "eq": (2, MAX_ACTIONS, lambda a: any(a[0] == b for b in a[1:])),  # eq arg1 arg2 [arg3...]
    "ne": (2, 2, lambda a: a[0] != a[1]),
    "not": (1, 1, lambda a: not truth(a[0])),
    "and": (1, MAX_ACTIONS, lambda a: all(truth(v) for v in a)),
    "or": (1, MAX_ACTIONS, lambda a: any(truth(v) for v in a)),
}
"""text/template's builtins a condition uses (its "Functions" section; ``and``/``or`` here
give the truth, not the deciding operand)."""


def truth(value: Value) -> bool:
    """text/template's truth of a value: false and the empty string are false."""
    return bool(value)


def _text(value: Value) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else value


def _call(
    func: str,
    args: list[Value],
    env: Mapping[str, str],
    ssm: Lookup,
    where: str,
    functions: Mapping[str, plugins.Function],
) -> Value:
    if func in COMPARE and COMPARE[func][0] <= len(args) <= COMPARE[func][1]:
        return COMPARE[func][2](args)
    texts = [_text(a) for a in args]
    if func in functions:
        return functions[func](texts, where)
    return _builtin(func, texts, env, ssm, where, sorted(functions))


def _builtin(
    func: str, args: list[str], env: Mapping[str, str], ssm: Lookup, where: str, more: list[str]
) -> str:
    if func == "env" and 1 <= len(args) <= 2:
        return env[args[0]] if args[0] in env else (args[1] if len(args) == 2 else "")
    if func == "must_env" and len(args) == 1:
        if args[0] not in env:
            raise BundleInvalid(
                f"{where}: must_env `{args[0]}`: the variable {args[0]} is not set; set it "
                f"(lattice-deploy deploy passes its own environment; an upload reads "
                f"{ENV_FILE} beside the bundle)"
            )
        return env[args[0]]
    if func == "json_escape" and len(args) == 1:
        return json.dumps(args[0])[1:-1]
    if func == "ssm" and 1 <= len(args) <= 2:
        value = ssm(args[0])
        return value.split(",")[int(args[1])] if len(args) == 2 else value
    known = ", ".join(["env", "must_env", "json_escape", "ssm", *more, *COMPARE])
    raise BundleInvalid(
        f"{where}: {{{{ {func} ... }}}} with {len(args)} argument(s) is not a template function "
        f"this deployer renders ({known}; a plugin's once listed in the config's plugins:); "
        "remove it or render the bundle with ecspresso render first"
    )


def _evaluate(
    action: str,
    env: Mapping[str, str],
    ssm: Lookup,
    where: str,
    functions: Mapping[str, plugins.Function],
) -> Value:
    """One action: ``func args`` stages joined by ``|`` (a stage's last argument is the value
    piped in), an argument may be ``(func args)``."""
    tokens = [m for m in TOKEN.finditer(action)]
    if "".join(m.group(0) for m in tokens).replace(" ", "") != action.replace(" ", ""):
        raise BundleInvalid(
            f"{where}: {{{{ {action} }}}} is not a template action this deployer can read"
        )
    position = 0

    def call(func: str, args: list[Value]) -> Value:
        return _call(func, args, env, ssm, where, functions)

    def stage(stop: str | None) -> Value:
        nonlocal position
        func: str | None = None
        args: list[Value] = []
        while position < len(tokens):
            m = tokens[position]
            position += 1
            if m["close"] is not None:
                if stop != ")":
                    raise BundleInvalid(f"{where}: unbalanced ) in {{{{ {action} }}}}")
                break
            if m["pipe"] is not None:  # the value so far goes last into the next stage
                value = call(str(func), args) if func else (args[0] if len(args) == 1 else "")
                nxt = tokens[position] if position < len(tokens) else None
                if nxt is None or nxt["func"] is None:
                    raise BundleInvalid(f"{where}: a function must follow | in {{{{ {action} }}}}")
                position += 1
                func, args = nxt["func"], [value]
                continue
            if m["open"] is not None:  # a nested call
                args.append(stage(")"))
            elif m["func"] is not None and func is None:
                func = m["func"]
            else:
                args.append(next(v for v in (m["raw"], m["quoted"], m["number"]) if v is not None))
        if func is None:
            if len(args) == 1:
                return args[0]
            raise BundleInvalid(f"{where}: {{{{ {action} }}}} calls no function")
        return call(func, args)

    return stage(None)


CONTROL = re.compile(r"(?P<word>if|else|end)\b\s*(?P<rest>.*)", re.S)
"""text/template's ``{{ if pipeline }} … {{ else }} … {{ end }}`` (and ``else if``); its other
actions (``range``, ``with``, ``define``, variables) are refused by name."""
REFUSED = re.compile(r"(?:range|with|define|template|block|break|continue)\b|\$")


class _Branches:
    """The open ``if`` actions of a file: whether the text here is kept."""

    def __init__(self) -> None:
        self.open: list[list[bool]] = []  # per if: [this branch kept, a branch was taken]

    def kept(self) -> bool:
        return all(branch[0] for branch in self.open)

    def step(self, word: str, rest: str, decide: Callable[[str], bool], where: str) -> None:
        if word == "if":
            outer = self.kept()
            taken = outer and decide(rest)
            self.open.append([taken, taken or not outer])
            return
        if not self.open:
            raise BundleInvalid(f"{where}: {{{{ {word} }}}} without its {{{{ if }}}}; remove it")
        branch = self.open[-1]
        if word == "end":
            self.open.pop()
        elif rest.startswith("if ") or rest == "if":  # {{ else if pipeline }}
            outer = all(b[0] for b in self.open[:-1])
            branch[0] = not branch[1] and outer and decide(rest[2:])
            branch[1] = branch[1] or branch[0]
        else:
            branch[0], branch[1] = not branch[1], True


JSON_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")
STRING_UNSAFE = re.compile(r'["\\\x00-\x1f]')
ESCAPED = re.compile(r"(?:^|\|)\s*json_escape\b[^|]*$")
"""An action whose last stage is ``json_escape``: its value is already a JSON string's inside."""


def _in_string(literal: str, inside: bool) -> bool:
    """Whether JSON text is inside a string after ``literal`` (starting ``inside`` or not)."""
    escaped = False
    for char in literal:
        if escaped:
            escaped = False
        elif char == "\\" and inside:
            escaped = True
        elif char == '"':
            inside = not inside
    return inside


def _fill(value: str, action: str, inside: bool, name: str, where: str) -> str:
    """``value`` where it lands in a JSON file: it fills a string, or is one JSON scalar; it
    never adds structure. Why refuse rather than escape: ecspresso inserts values as they are,
    so a value that would break out of its string deploys something else there; the bundle says
    ``json_escape`` when a value may hold quotes (its own remedy for this)."""
    if not name.endswith(".json"):
        if "\n" in value or "\r" in value:  # YAML: a line break would add keys
            raise BundleInvalid(
                f"{where}: the value of {{{{ {action} }}}} holds a line break, which would add "
                "lines (keys) to the file; give a one-line value"
            )
        return value
    if inside:
        if STRING_UNSAFE.search(value) and not ESCAPED.search(action):
            raise BundleInvalid(
                f"{where}: the value of {{{{ {action} }}}} holds a quote, a backslash or a control "
                "character, which would end its JSON string and change the definition's "
                "structure; pipe it through json_escape ({{ ... | json_escape }}), or fix "
                "the value"
            )
    elif not JSON_SCALAR.fullmatch(value.strip()):
        raise BundleInvalid(
            f"{where}: {{{{ {action} }}}} stands outside a JSON string, and its value "
            f"{value[:40]!r} is not a number, true, false or null, so it would change the "
            "definition's structure; put the action inside quotes, or give a number"
        )
    return value


def render(
    text: str,
    name: str,
    env: Mapping[str, str],
    ssm: Lookup,
    functions: Mapping[str, plugins.Function] | None = None,
) -> str:
    """``text`` of bundle file ``name`` with every action replaced by its value (a Jsonnet file
    is evaluated first, its native functions being these ones, then rendered: ecspresso's
    order); ``functions``: the plugins' (:func:`plugins.functions`). One pass, linear in the
    text: each action's line and whether it stands inside a JSON string are carried forward
    from the previous one; a branch of an ``if`` not taken is dropped, its actions unread."""
    funcs = functions or {}
    if jsonnet.is_jsonnet(name):

        def native(func: str, args: list[str]) -> str:
            return _text(_call(func, list[Value](args), env, ssm, name, funcs))

        text = jsonnet.evaluate(text, name, native)
    matches = list(ACTION.finditer(text))
    if len(matches) > MAX_ACTIONS:
        raise BundleInvalid(
            f"{name}: {len(matches):,} template actions, more than the {MAX_ACTIONS:,} a file may "
            "hold; render the file with ecspresso render first"
        )
    blanked = ACTION.sub(lambda m: " " * len(m.group(0)), text)
    if (open_at := blanked.find("{{")) >= 0:
        raise BundleInvalid(
            f"{name}:{text.count(chr(10), 0, open_at) + 1}: an unterminated {{{{ (no closing "
            "}}); close the action or remove it"
        )
    out, line, end, inside, branches = [], 1, 0, False, _Branches()
    for match in matches:
        literal = text[end : match.start()]
        line += literal.count("\n")
        if branches.kept():
            inside = _in_string(literal, inside)
            out.append(literal)
        action, where = match.group(1), f"{name}:{line}"
        line += match.group(0).count("\n")
        end = match.end()
        if action.count("(") > MAX_NESTING:
            raise BundleInvalid(
                f"{where}: {{{{ … }}}} nests more than {MAX_NESTING} calls; simplify it"
            )
        if (control := CONTROL.fullmatch(action)) is not None:

            def decide(pipeline: str, at: str = where) -> bool:
                return truth(_evaluate(pipeline, env, ssm, at, funcs))

            branches.step(control["word"], control["rest"].strip(), decide, where)
            continue
        if REFUSED.match(action):
            raise BundleInvalid(
                f"{where}: {{{{ {action} }}}}: text/template's {action.split()[0]} is not rendered "
                "by this deployer (env, must_env, ssm, the plugins' functions and "
                "if/else/end are); render the bundle with ecspresso render first"
            )
        if branches.kept():
            value = _text(_evaluate(action, env, ssm, where, funcs))
            out.append(_fill(value, action, inside, name, where))
    if branches.open:
        raise BundleInvalid(f"{name}: an {{{{ if }}}} without its {{{{ end }}}}; close it")
    out.append(text[end:] if branches.kept() else "")
    rendered = "".join(out)
    if (size := len(rendered.encode())) > bundle.MAX_FILE_BYTES:
        raise BundleInvalid(
            f"{name}: {size:,} bytes once rendered, more than the "
            f"{bundle.MAX_FILE_BYTES // 1024} KiB a bundle file may be; give shorter values"
        )
    return rendered


def render_files(
    files: Mapping[str, str],
    env: Mapping[str, str],
    ssm: Lookup,
    lookups: plugins.Lookups | None = None,
) -> dict[str, str]:
    """Every bundle file rendered, the config first and without the plugins (ecspresso loads
    it before it sets them up), then the others with them; ``lookups``: what the plugins read
    (default: stand-ins, :class:`plugins.StandIns`). ``env.json`` and the state files the
    plugins read are data, left out."""
    config_name = ecspresso_yaml.name_in(files)
    done = {config_name: render(files[config_name], config_name, env, ssm)} if config_name else {}
    config = ecspresso_yaml.config_of(done)
    data = {ENV_FILE, *plugins.local_states(config)}
    funcs = plugins.functions(config, lookups or plugins.StandIns(ssm, files))
    for name, text in files.items():
        if name not in done and name not in data:
            done[name] = render(text, name, env, ssm, funcs)
    return done
