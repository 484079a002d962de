#!/usr/bin/env python3
"""Checks the reference cycle's narrative blocks (data/reporting/blocks.{fr,en}.json).

Each file is {"narrativeBlocks": [{"narrativeBlockId", "narrativeBlock"}]} in the
protobuf JSON of palermo.reporting.v1.NarrativeBlock. The checker verifies:
- both files parse, every block is well formed, ids are unique in the cycle;
- laid out as the report lays them out (sections in enum order, then position,
  then id), the PARAGRAPH blocks of each language cite paragraphs 1..93 in
  order, inside the source's section ranges;
- every directive is one of report-design.md's table, every filter compiles
  the way services/common/filter.cc compiles it (fields and enum values of the
  collection's message, read from protos/), every `name = "..."` names a
  record of data/, every `{{footnote block ID}}` names a FOOTNOTE block of the
  same language, and the English blocks carry the same directives as the
  French ones;
- every record of data/legislation, enforcement, assistance and coordination
  is used by a directive of each language (a list or facts filter it matches;
  legislation records holding no fact (listedAsRespondent moved to responses) are para 3's
  `{{respondents}}`), no record is stated by two facts directives of one
  language, and no list or facts directive matches nothing;
- every excerpt is the source's own words inside the cited paragraph (as
  tests/provenance_test.cc reads them).

Usage: tools/data/check_blocks.py [--root DIR] [--protos DIR] [--data DIR] [--blocks DIR]
Exit status 0 when everything holds; else each problem on one line.
"""
import argparse
import glob
import json
import os
import re
import sys

CYCLE = 'cycles/ccpcj-17'
SECTIONS = [  # enum order, with the source's paragraph ranges
    ('REPORT_SECTION_INTRODUCTION', 1, 2),
    ('REPORT_SECTION_RESULTS', 3, 4),
    ('REPORT_SECTION_LEGISLATION', 5, 7),
    ('REPORT_SECTION_ENFORCEMENT', 8, 25),
    ('REPORT_SECTION_TRAINING', 26, 42),
    ('REPORT_SECTION_PREVENTION', 43, 59),
    ('REPORT_SECTION_ASSISTANCE', 60, 64),
    ('REPORT_SECTION_COORDINATION', 65, 80),
    ('REPORT_SECTION_COOPERATION', 81, 83),
    ('REPORT_SECTION_TECHNICAL_ASSISTANCE', 84, 86),
    ('REPORT_SECTION_CONCLUSIONS', 87, 93),
]
KINDS = {'BLOCK_KIND_PARAGRAPH', 'BLOCK_KIND_HEADING', 'BLOCK_KIND_FOOTNOTE'}
CYCLE_FIELDS = {'resolution_symbol', 'resolution_title', 'adopted_by', 'note_verbale_date',
                'deadline', 'cutoff_date', 'session', 'session_body', 'document_symbol'}
# COLL -> (message, data JSON key holding its records)
COLLECTIONS = {
    'legislations': ('palermo.legislation.v1.Legislation', None),
    'observations': ('palermo.enforcement.v1.Observation', 'observations'),
    'measures': ('palermo.assistance.v1.Measure', 'measures'),
    'coordination_bodies': ('palermo.coordination.v1.CoordinationBody', 'coordinationBodies'),
    'action_plans': ('palermo.coordination.v1.ActionPlan', 'actionPlans'),
    'referral_mechanisms': ('palermo.coordination.v1.ReferralMechanism', 'referralMechanisms'),
    'training_activities': ('palermo.coordination.v1.TrainingActivity', 'trainingActivities'),
    'awareness_campaigns': ('palermo.coordination.v1.AwarenessCampaign', 'awarenessCampaigns'),
    'cooperation_activities': ('palermo.coordination.v1.CooperationActivity', 'cooperationActivities'),
    'inter_agency_groups': ('palermo.coordination.v1.InterAgencyGroup', 'interAgencyGroups'),
    'responses': ('palermo.reporting.v1.Response', 'responses'),
}
DOMAIN_DIRS = ('legislation', 'enforcement', 'assistance', 'coordination')
BLOCK_ID = re.compile(r'^[a-z][a-z0-9-]{0,62}$')
DIRECTIVE = re.compile(r'\{\{(.*?)\}\}')
FORMS = [
    ('cycle', re.compile(r'^cycle (\w+)$')),
    ('respondents', re.compile(r'^respondents$')),
    ('list', re.compile(r'^list(?::(the|in))? (\w+)(?: \| (.+))?$')),
    ('facts', re.compile(r'^facts (\w+)(?: \| (.+))?$')),
    ('footnote list', re.compile(r'^footnote list (\w+)(?: \| (.+))?$')),
    ('footnote facts', re.compile(r'^footnote facts (\w+)(?: \| (.+))?$')),
    ('footnote block', re.compile(r'^footnote block ([a-z][a-z0-9-]*)$')),
]


# ---------------------------------------------------------------- protos ----
class Protos:
    """Messages and enums of protos/palermo (no nesting, maps or oneofs there)."""

    def __init__(self, root):
        self.messages, self.enums = {}, {}
        for path in glob.glob(os.path.join(root, 'palermo', '*', 'v1', '*.proto')):
            text = re.sub(r'//[^\n]*', '', open(path, encoding='utf-8').read())
            package = re.search(r'^package ([\w.]+);', text, re.M).group(1)
            for kind, name, content in re.findall(r'^(message|enum) (\w+) \{(.*?)^\}', text, re.M | re.S):
                full = package + '.' + name
                if kind == 'enum':
                    self.enums[full] = set(re.findall(r'^\s*(\w+) = \d+;', content, re.M))
                else:
                    fields = {}
                    for label, ftype, fname in re.findall(
                            r'^\s*(repeated |optional )?([\w.]+) (\w+) = \d+;', content, re.M):
                        fields[fname] = (ftype, label.strip())
                    self.messages[full] = (package, fields)

    def resolve(self, package, ftype):
        """Full name of a field's message or enum type, or None for a scalar."""
        for candidate in (ftype, package + '.' + ftype):
            if candidate in self.messages or candidate in self.enums:
                return candidate
        return None


def enum_prefix(full):
    name = full.rsplit('.', 1)[1]
    return re.sub(r'(?<!^)([A-Z])', r'_\1', name).upper() + '_'


def camel(name):
    return re.sub(r'_([a-z0-9])', lambda m: m.group(1).upper(), name)


# ---------------------------------------------------------------- filters ---
class FilterError(Exception):
    pass


def tokenize(s):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c.isspace():
            i += 1
        elif c in '()':
            out.append((c, c))
            i += 1
        elif c in '"\'':
            j, text = i + 1, ''
            while j < len(s) and s[j] != c:
                if s[j] == '\\' and j + 1 < len(s):
                    j += 1
                text += s[j]
                j += 1
            if j >= len(s):
                raise FilterError('unterminated string literal')
            out.append(('str', text))
            i = j + 1
        elif c in '=:':
            out.append(('op', c))
            i += 1
        elif c in '!<>':
            if s[i + 1:i + 2] == '=':
                out.append(('op', s[i:i + 2]))
                i += 2
            elif c == '!':
                raise FilterError("'!' must be followed by '='")
            else:
                out.append(('op', c))
                i += 1
        else:
            j = i
            while j < len(s) and not s[j].isspace() and s[j] not in '()=:!<>"\'':
                j += 1
            out.append(('word', s[i:j]))
            i = j
    out.append(('end', ''))
    return out


class Filter:
    """AIP-160 as services/common/filter.cc compiles and evaluates it, over the
    protobuf JSON of the collection's records (lowerCamelCase keys)."""

    def __init__(self, text, message, protos):
        self.protos, self.tokens, self.pos = protos, tokenize(text), 0
        self.message = message
        self.names = []  # values of top-level-ish `name = "..."` comparisons
        self.entities = []
        self.fields = set()  # first field of every path, but name and entity
        self.root = self.expression()
        if self.peek()[0] != 'end':
            raise FilterError('unexpected "%s"' % self.peek()[1])

    def peek(self):
        return self.tokens[self.pos]

    def peek_word(self, w):
        return self.peek() == ('word', w)

    def expression(self):
        return self.join('and', 'AND', self.sequence)

    def sequence(self):
        return self.join('or', 'OR', self.factor)

    def join(self, kind, word, nxt):
        children = [nxt()]
        while self.peek_word(word):
            self.pos += 1
            children.append(nxt())
        return children[0] if len(children) == 1 else (kind, children)

    def factor(self):
        negate = False
        if self.peek_word('NOT'):
            negate = True
            self.pos += 1
        elif self.peek()[0] == 'word' and len(self.peek()[1]) > 1 and self.peek()[1][0] == '-':
            negate = True
            self.tokens[self.pos] = ('word', self.peek()[1][1:])
        if self.peek()[0] == '(':
            self.pos += 1
            term = self.expression()
            if self.peek()[0] != ')':
                raise FilterError("missing ')'")
            self.pos += 1
        else:
            term = self.comparison()
        return ('not', [term]) if negate else term

    def comparison(self):
        kind, path_text = self.peek()
        if kind != 'word':
            raise FilterError('expected a field name, found "%s"' % path_text)
        self.pos += 1
        if path_text.split('.')[0] not in ('name', 'entity'):
            self.fields.add(path_text.split('.')[0])
        message, path, leaf = self.message, [], None
        for part in path_text.split('.'):
            if message is None:
                raise FilterError('"%s": only message fields have sub-fields' % path_text)
            package, fields = self.protos.messages[message]
            if part not in fields:
                raise FilterError('"%s" is not a field of %s' % (part, message))
            ftype, label = fields[part]
            resolved = self.protos.resolve(package, ftype)
            leaf = (ftype, label, resolved)
            path.append((camel(part), label == 'repeated'))
            message = resolved if resolved in self.protos.messages else None
        if self.peek()[0] != 'op':
            raise FilterError('expected an operator after "%s"' % path_text)
        op = self.tokens[self.pos][1]
        self.pos += 1
        vkind, value = self.peek()
        if vkind not in ('word', 'str'):
            raise FilterError('expected a value after "%s %s"' % (path_text, op))
        self.pos += 1
        ftype, label, resolved = leaf
        if op == ':' and vkind == 'word' and value == '*':
            return ('has', path, None)
        if resolved in self.protos.messages:
            raise FilterError('"%s" is a message: use %s:*' % (path_text, path_text))
        if resolved in self.protos.enums:
            values = self.protos.enums[resolved]
            if value not in values:
                value = enum_prefix(resolved) + value
            if value not in values:
                raise FilterError('"%s" is not a value of %s' % (vkind == 'str' and value or value, resolved))
        elif ftype == 'bool':
            if value not in ('true', 'false'):
                raise FilterError('"%s" is true or false' % path_text)
            value = value == 'true'
        elif ftype != 'string':
            try:
                value = float(value) if ftype in ('double', 'float') else int(value)
            except ValueError:
                raise FilterError('"%s" needs a number' % path_text)
        if op not in ('=', '!=', ':') and (resolved in self.protos.enums or ftype == 'bool'):
            raise FilterError('"%s" supports only =, != and :' % path_text)
        if path_text == 'name' and op == '=':
            self.names.append(value)
        if path_text == 'entity' and op == '=':
            self.entities.append(value)
        return ('cmp', path, (op, value, ftype))

    # -- evaluation over protobuf JSON --
    def matches(self, record):
        return self.evaluate(self.root, record)

    def evaluate(self, node, record):
        kind = node[0]
        if kind == 'and':
            return all(self.evaluate(c, record) for c in node[1])
        if kind == 'or':
            return any(self.evaluate(c, record) for c in node[1])
        if kind == 'not':
            return not self.evaluate(node[1][0], record)
        if kind == 'has':
            return any(True for _ in reach(record, node[1], has=True))
        op, value, ftype = node[2]
        if op == '!=':
            return not any(v == value for v in reach(record, node[1]))
        return any(compare(op, v, value) for v in reach(record, node[1]))


def reach(obj, path, has=False):
    """Values at `path`; an unset field is unknown (yields nothing) except for
    proto3 scalars without presence, which read as their default."""
    key, repeated = path[0]
    last = len(path) == 1
    if not isinstance(obj, dict) or key not in obj:
        if last and not has and not repeated:
            # A scalar without presence reads as its default; with the JSON we
            # cannot tell presence, so unset is unknown, as for optional fields.
            return
        return
    value = obj[key]
    items = value if repeated else [value]
    for item in items:
        if last:
            if has and repeated and not items:
                return
            yield item
        else:
            yield from reach(item, path[1:], has)


def compare(op, a, b):
    if isinstance(b, bool) or isinstance(a, bool):
        a = a if isinstance(a, bool) else str(a).lower() == 'true'
    elif isinstance(b, (int, float)) and not isinstance(a, (int, float)):
        try:
            a = float(a)
        except (TypeError, ValueError):
            return False
    return {'=': a == b, ':': a == b, '<': a < b, '<=': a <= b, '>': a > b, '>=': a >= b}[op]


# ---------------------------------------------------------------- source ----
WS = re.compile(r'[ \t\n\r\f\v\u00a0\u202f\u2009]+')


def normalize(s):
    return WS.sub(' ', s).strip()


def without_calls(s):
    out = []
    i = 0
    while i < len(s):
        prev = out[-1] if out else ' '
        if prev.isalpha() and s[i].isdigit():
            j = i
            while j < len(s) and s[j].isdigit():
                j += 1
            if j - i <= 2:
                i = j
                continue
        out.append(s[i])
        i += 1
    return ''.join(out)


class Source:
    def __init__(self, path):
        raw = open(path, encoding='utf-8').read()
        lines = raw.split('\n')
        starts = []
        for i, line in enumerate(lines):
            m = re.match(r'^(\d{1,3})\. ', normalize(line))
            if m and int(m.group(1)) == len(starts) + 1:
                starts.append(i)
        self.text = [normalize(raw), without_calls(normalize(raw))]
        self.paragraphs = [{}, {}]
        for k, start in enumerate(starts):
            end = starts[k + 1] if k + 1 < len(starts) else len(lines)
            p = normalize('\n'.join(lines[start:end]))
            self.paragraphs[0][k + 1] = p
            self.paragraphs[1][k + 1] = without_calls(p)

    def problem(self, excerpt, paragraph, footnote):
        first = self._problem(excerpt, paragraph, footnote, 0)
        return '' if not first or not self._problem(excerpt, paragraph, footnote, 1) else first

    def _problem(self, excerpt, paragraph, footnote, reading):
        if not excerpt:
            return 'no excerpt'
        if len(excerpt) > 200:
            return 'excerpt longer than 200 characters'
        parts = [normalize(p) for p in excerpt.split('…') if normalize(p)]
        text = self.text[reading]
        at, first_end = 0, None
        if not footnote:
            p = self.paragraphs[reading].get(paragraph)
            if p is None:
                return 'the report has no paragraph %d' % paragraph
            at = text.find(p)
            first_end = at + len(p)
        for i, part in enumerate(parts):
            found = text.find(part, at)
            if found < 0:
                return 'excerpt is not in the report'
            if i == 0 and first_end is not None and found + len(part) > first_end:
                return 'excerpt is not in paragraph %d' % paragraph
            at = found + len(part)
        return ''


# ---------------------------------------------------------------- data ------
def load_records(data_dir):
    """{collection: [(record name or description, record JSON)]}."""
    records = {c: [] for c in COLLECTIONS}
    for domain in DOMAIN_DIRS:
        for path in sorted(glob.glob(os.path.join(data_dir, domain, '*.json'))):
            doc = json.load(open(path, encoding='utf-8'))
            if domain == 'legislation':
                rec = dict(doc)
                entity = rec['name'].rsplit('/', 1)[0]
                rec.setdefault('entity', {'name': entity})
                records['legislations'].append((rec['name'], rec))
                continue
            for coll, (_, key) in COLLECTIONS.items():
                for i, rec in enumerate(doc.get(key, []) if key else []):
                    label = rec.get('name') or '%s %s observation %d (%s)' % (
                        os.path.basename(path), rec.get('entity'), i, rec.get('indicator'))
                    records[coll].append((label, rec))
    return records


def only_respondent(rec):
    facts = set(rec) - {'name', 'entity', 'notes', 'qualityNotes', 'listedAsRespondent'}
    return not facts


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--root', default=os.path.dirname(os.path.dirname(here)))
    parser.add_argument('--protos', help='protos directory (default ROOT/protos)')
    parser.add_argument('--data', help='data directory (default ROOT/data)')
    parser.add_argument('--blocks', help='directory of blocks.{fr,en}.json (default DATA/reporting)')
    args = parser.parse_args()
    protos = Protos(args.protos or os.path.join(args.root, 'protos'))
    data_dir = args.data or os.path.join(args.root, 'data')
    source = Source(os.path.join(args.root, 'data/source/E-CN.15-2008-6.fr.txt'))
    records = load_records(data_dir)
    problems = []
    seen_ids = set()
    langs = {}
    counts = {}
    for lang in ('fr', 'en'):
        path = os.path.join(args.blocks or os.path.join(data_dir, 'reporting'), 'blocks.%s.json' % lang)
        try:
            doc = json.load(open(path, encoding='utf-8'))
        except (OSError, ValueError) as e:
            problems.append('%s: %s' % (path, e))
            continue
        blocks = []
        for i, item in enumerate(doc.get('narrativeBlocks', [])):
            where = '%s[%d]' % (os.path.basename(path), i)
            bid = item.get('narrativeBlockId', '')
            b = item.get('narrativeBlock', {})
            if set(item) - {'narrativeBlockId', 'narrativeBlock'}:
                problems.append('%s: unknown keys %s' % (where, sorted(set(item) - {'narrativeBlockId', 'narrativeBlock'})))
            if not BLOCK_ID.match(bid):
                problems.append('%s: bad id %r' % (where, bid))
            if bid in seen_ids:
                problems.append('%s: id %s used twice in the cycle' % (where, bid))
            seen_ids.add(bid)
            if b.get('language') != lang:
                problems.append('%s: language %r in the %s file' % (bid, b.get('language'), lang))
            if b.get('kind') not in KINDS:
                problems.append('%s: kind %r' % (bid, b.get('kind')))
            if b.get('section') not in [s for s, _, _ in SECTIONS]:
                problems.append('%s: section %r' % (bid, b.get('section')))
            if not isinstance(b.get('position'), int) or b['position'] <= 0:
                problems.append('%s: position %r' % (bid, b.get('position')))
            if not b.get('text', '').strip():
                problems.append('%s: empty text' % bid)
            if not b.get('sources'):
                problems.append('%s: no sources' % bid)
            for s in b.get('sources', []):
                if s.get('documentSymbol') != 'E/CN.15/2008/6' or s.get('cycle') != CYCLE or \
                        s.get('excerptLanguage') != 'fr':
                    problems.append('%s: source %s' % (bid, s))
                p = source.problem(s.get('excerpt', ''), s.get('paragraph', 0), bool(s.get('footnote')))
                if p:
                    problems.append('%s: %s: %r' % (bid, p, s.get('excerpt')))
            blocks.append((bid, b))
        langs[lang] = blocks
        # Layout: sections in enum order, then position, then id.
        order = {s: k for k, (s, _, _) in enumerate(SECTIONS)}
        laid = sorted(blocks, key=lambda x: (order.get(x[1].get('section'), 99), x[1].get('position', 0), x[0]))
        positions = set()
        number = 0
        for bid, b in laid:
            key = (b.get('section'), b.get('position'))
            if key in positions:
                problems.append('%s: position %s taken twice in %s' % (bid, key[1], key[0]))
            positions.add(key)
            if b.get('kind') != 'BLOCK_KIND_PARAGRAPH':
                continue
            number += 1
            cited = [s.get('paragraph') for s in b.get('sources', [])]
            if number not in cited:
                problems.append('%s: laid out as paragraph %d but cites %s' % (bid, number, cited))
            sec = dict((s, (lo, hi)) for s, lo, hi in SECTIONS).get(b.get('section'), (0, -1))
            if not sec[0] <= number <= sec[1]:
                problems.append('%s: paragraph %d is outside %s (%d-%d)' % (bid, number, b.get('section'), *sec))
        if number != 93:
            problems.append('%s: %d paragraphs, not 93' % (lang, number))
        # Directives.
        footnotes = {bid for bid, b in blocks if b.get('kind') == 'BLOCK_KIND_FOOTNOTE'}
        called = set()
        used = {c: {} for c in COLLECTIONS}      # record label -> directives using it
        stated = {c: {} for c in COLLECTIONS}    # record label -> facts directives
        respondents = False
        counts[lang] = {}
        for bid, b in blocks:
            text = b.get('text', '')
            rest = DIRECTIVE.sub('', text)
            if '{{' in rest or '}}' in rest:
                problems.append('%s: unbalanced directive braces' % bid)
            for d in DIRECTIVE.findall(text):
                for form, rx in FORMS:
                    m = rx.match(d)
                    if m:
                        break
                else:
                    problems.append('%s: not a directive: {{%s}}' % (bid, d))
                    continue
                counts[lang][form] = counts[lang].get(form, 0) + 1
                if form == 'cycle':
                    if m.group(1) not in CYCLE_FIELDS:
                        problems.append('%s: unknown cycle field %s' % (bid, m.group(1)))
                    continue
                if form == 'respondents':
                    respondents = True
                    continue
                if form == 'footnote block':
                    if m.group(1) not in footnotes:
                        problems.append('%s: no FOOTNOTE block %s in %s' % (bid, m.group(1), lang))
                    called.add(m.group(1))
                    continue
                coll, flt = (m.group(2), m.group(3)) if form == 'list' else (m.group(1), m.group(2))
                if coll not in COLLECTIONS:
                    problems.append('%s: unknown collection %s' % (bid, coll))
                    continue
                try:
                    f = Filter(flt or '', COLLECTIONS[coll][0], protos) if flt else None
                except FilterError as e:
                    problems.append('%s: {{%s}}: %s' % (bid, d, e))
                    continue
                if f:
                    known = {label for label, _ in records[coll]}
                    for n in f.names:
                        if n not in known:
                            problems.append('%s: {{%s}}: no record %s' % (bid, d, n))
                matched = [label for label, rec in records[coll] if f is None or f.matches(rec)]
                if not matched:
                    problems.append('%s: {{%s}} matches no record' % (bid, d))
                for label in matched:
                    used[coll].setdefault(label, []).append(bid)
                    if form not in ('facts', 'footnote facts'):
                        continue
                    # A legislation record is a singleton holding many facts:
                    # the fields its filter names say which ones are stated.
                    parts = sorted(f.fields) if coll == 'legislations' and f and f.fields else ['*']
                    for part in parts:
                        stated[coll].setdefault((label, part), []).append(bid)
        for fid in footnotes - called:
            problems.append('%s: FOOTNOTE block never called' % fid)
        for coll, recs in records.items():
            for label, rec in recs:
                if label not in used[coll] and not (
                        coll == 'legislations' and respondents and only_respondent(rec)):
                    problems.append('%s: %s record %s is used by no directive' % (lang, coll, label))
            for (label, part), where in sorted(stated[coll].items()):
                clash = where if part != '*' else [
                    w for (l2, _), ws in stated[coll].items() if l2 == label for w in ws]
                if len(clash) > 1:
                    problems.append('%s: %s%s is stated by facts directives of %s' % (
                        lang, label, '' if part == '*' else ' (' + part + ')', ', '.join(clash)))
    # The English blocks mirror the French ones: same layout and directives.
    if 'fr' in langs and 'en' in langs:
        en = {bid[3:]: b for bid, b in langs['en']}
        for bid, b in langs['fr']:
            e = en.pop(bid[3:], None)
            if e is None:
                problems.append('%s: no English counterpart en-%s' % (bid, bid[3:]))
                continue
            for key in ('section', 'position', 'kind'):
                if b.get(key) != e.get(key):
                    problems.append('%s: %s differs in English' % (bid, key))
            fr_d = [d.replace('fr-', 'X-') for d in DIRECTIVE.findall(b.get('text', ''))]
            en_d = [d.replace('en-', 'X-') for d in DIRECTIVE.findall(e.get('text', ''))]
            if sorted(fr_d) != sorted(en_d):
                problems.append('%s: directives differ in English' % bid)
        for rest in en:
            problems.append('en-%s: no French counterpart' % rest)
    for p in problems:
        print(p)
    for lang in ('fr', 'en'):
        blocks = langs.get(lang, [])
        kinds = {}
        for _, b in blocks:
            kinds[b.get('kind')] = kinds.get(b.get('kind'), 0) + 1
        print('%s: %d blocks (%s); directives: %s' % (
            lang, len(blocks), ', '.join('%s %d' % (k[11:].lower(), v) for k, v in sorted(kinds.items())),
            ', '.join('%s %d' % kv for kv in sorted(counts.get(lang, {}).items()))))
    print('%d problem(s)' % len(problems))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
