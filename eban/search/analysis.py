"""Text analysis for the search index: the same rules turn documents and queries into terms.

Pure functions (no database). A term is a short string `<kind>:<value>`:

    w:公积金   a word (jieba segmentation, plus dictionary sub-words) or a whole short phrase
    b:积金     a character bigram of a name-like field (robust to segmentation)
    y:gongjijin the toneless pinyin of a word or bigram (finds homophone typos and typed pinyin)
    i:gjjtq    pinyin initials from a character onwards (searched by prefix: `gjj` → i:gjj…)
    c:证 / s:zheng  single characters and syllables of names, used only for suggestions
    k:<code>   the exact code of a document

See docs/search.md for the design and the weights.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

WORD, BIGRAM, PINYIN, INITIALS, CHAR, SYLLABLE, EXACT = "w", "b", "y", "i", "c", "s", "k"

MAX_TERM_LENGTH = 64
MAX_WINDOW = 8  # longest query substring tried as a word
INITIALS_LENGTH = 8  # initials stored from each character onwards
SYNONYM_FACTOR = 0.8  # a synonym counts a little less than the word the user typed

# Field levels: how much analysis a field gets (names get everything, long text only words).
TITLE, PHRASE, TEXT = "title", "phrase", "text"

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN_RE = re.compile(rf"[{_CJK}]+|[a-z]+|[0-9]+")
_CJK_RE = re.compile(rf"^[{_CJK}]+$")

DICTIONARY_PATH = Path(__file__).with_name("dictionary") / "government.txt"

# How people ask, removed before searching (longest first, so 怎么办理 goes before 怎么).
QUESTION_PHRASES = sorted(
    """
    怎么办理 如何办理 怎样办理 怎么去办 怎么办 怎么弄 怎么搞 怎么申请 如何申请 怎样申请 怎么处理 如何处理
    在哪里办理 在哪里办 在哪儿办 在哪办 去哪里办 去哪儿办 去哪办 哪里可以办 哪里能办 哪里办 在哪里 在哪儿 在哪
    去哪里 去哪儿 去哪 哪里 哪儿
    需要什么材料 需要哪些材料 要什么材料 要哪些材料 需要带什么 要带什么 带什么 需要准备什么 要准备什么 准备什么
    什么材料 哪些材料 需要什么 需要哪些 要什么 办理流程 流程是什么 什么流程 怎么样 怎样 如何 怎么
    要多久 多长时间 多久 几天 多少钱 收费吗 要钱吗 收不收费 可以吗 能不能 可不可以 是否 请问 我想要 我想 我要
    想要 帮我 一下 办理 手续 业务 的话
    """.split(),
    key=len,
    reverse=True,
)
_QUESTION_RE = re.compile("|".join(re.escape(p) for p in QUESTION_PHRASES))

# Words that carry no meaning on their own, dropped from the query after segmentation.
STOP_TOKENS = frozenset(
    """
    的 了 吗 呢 啊 呀 吧 嘛 啦 哦 么 我 你 他 她 我们 您 想 要 能 会 可以 需要 应该 该 得 在 去 到 哪 什么 怎么
    如何 怎样 办 弄 搞 和 与 及 或 或者 是 有 没有 个 谁 时候 什么时候 给 把 被 用 带 还 也 都 就 才 又 很 请
    这 那 这个 那个 一个 还是 为什么 可 能否 是不是 有没有
    """.split()
)

# Valid toneless pinyin syllables (from pypinyin's dictionary, without the interjections m/n/ng/hm/hng).
SYLLABLES = frozenset(
    """
    a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can cang cao ce cen ceng
    cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui chun chuo ci cong cou cu
    cuan cui cun cuo da dai dan dang dao de dei den deng di dia dian diao die ding diu dong dou du duan dui dun duo e
    ei en eng er fa fan fang fei fen feng fiao fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan
    guang gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo ji jia jian
    jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan
    kuang kui kun kuo la lai lan lang lao le lei len leng li lia lian liang liao lie lin ling liu lo long lou lu luan
    lun luo lv lve lue ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu na nai nan nang nao
    ne nei nen neng ni nian niang niao nie nin ning niu nong nou nu nuan nun nuo nv nve nue o ou pa pai pan pang pao
    pei pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran
    rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang shao
    she shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai tan
    tang tao te tei teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wu xi xia
    xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun
    za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai
    zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo
    """.split()
)
_LONGEST_SYLLABLE = max(len(s) for s in SYLLABLES)


def term(kind: str, value: str) -> str:
    return f"{kind}:{value}"[:MAX_TERM_LENGTH]


def normalize(text: str) -> str:
    """Full-width to half-width, lower case, one space between words."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return " ".join(text.split())


def is_cjk(text: str) -> bool:
    return bool(_CJK_RE.match(text))


# --- jieba, initialised once per process and quietly -------------------------------------------

_tokenizer = None
_tokenizer_lock = threading.Lock()


def tokenizer():
    """The process-wide jieba tokenizer with eban's dictionary of government terms."""
    global _tokenizer
    if _tokenizer is None:
        with _tokenizer_lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                t = jieba.Tokenizer()
                t.initialize()
                if DICTIONARY_PATH.exists():
                    t.load_userdict(str(DICTIONARY_PATH))
                _tokenizer = t
    return _tokenizer


def cut(run: str) -> list[str]:
    """jieba's precise segmentation of a run of Chinese characters."""
    return [w for w in tokenizer().cut(run, HMM=True) if w.strip()]


def words_with_parts(run: str) -> Iterator[tuple[str, int]]:
    """Words of a Chinese run with their offsets, plus the dictionary words inside long words.

    Like jieba's search mode, but every dictionary word of 2–4 characters inside a longer word
    is kept (jieba's own search mode only looks at 2- and 3-character pieces).
    """
    t = tokenizer()
    freq = t.FREQ
    offset = 0
    for word in t.cut(run, HMM=True):
        n = len(word)
        if n > 2:
            for size in range(2, min(n - 1, 4) + 1):
                for i in range(n - size + 1):
                    part = word[i : i + size]
                    if freq.get(part):
                        yield part, offset + i
        yield word, offset
        offset += n


# --- pinyin ---------------------------------------------------------------------------------------


@lru_cache(maxsize=20000)
def syllables_of(run: str) -> tuple[str, ...]:
    """Toneless pinyin, one syllable per character of a Chinese run (context-aware for heteronyms)."""
    from pypinyin import Style, lazy_pinyin

    result = lazy_pinyin(run, style=Style.NORMAL, errors=lambda chars: ["" for _ in chars])
    if len(result) != len(run):  # should not happen for a pure Chinese run; stay safe
        result = [lazy_pinyin(ch, style=Style.NORMAL, errors=lambda c: [""])[0] for ch in run]
    return tuple(result)


def split_pinyin(text: str) -> list[str] | None:
    """Split typed pinyin (`laonianren`) into syllables (`lao nian ren`), or None if it is not pinyin.

    Dynamic programming: the fewest syllables wins (so `xian` stays one syllable).
    """
    text = text.replace("'", "")
    n = len(text)
    if not n:
        return None
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for i in range(n):
        if best[i] is None:
            continue
        for j in range(i + 1, min(n, i + _LONGEST_SYLLABLE) + 1):
            piece = text[i:j]
            if piece in SYLLABLES and (best[j] is None or len(best[i]) + 1 < len(best[j])):
                best[j] = best[i] + [piece]
    return best[n]


# --- documents --------------------------------------------------------------------------------------


def _runs(text: str) -> Iterator[str]:
    return (m.group() for m in _TOKEN_RE.finditer(normalize(text)))


def field_terms(text: str, level: str = TEXT) -> frozenset[str]:
    """The terms of one field of a document. `level` is TITLE, PHRASE or TEXT."""
    return _field_terms(text, level)


# Catalogues repeat themselves: departments, themes, common conditions are the same strings in
# many documents, and longer texts share their clauses (runs). Both are analysed once.
@lru_cache(maxsize=50000)
def _field_terms(text: str, level: str) -> frozenset[str]:
    return frozenset().union(*(_run_terms(run, level) for run in _runs(text)))


@lru_cache(maxsize=50000)
def _run_terms(run: str, level: str) -> frozenset[str]:
    """The terms of one run (Chinese characters, Latin letters or digits) of a field."""
    if not is_cjk(run):
        return frozenset([term(WORD, run)]) if len(run) >= 2 or run.isdigit() else frozenset()
    terms: set[str] = set()
    rich = level in (TITLE, PHRASE)
    sy = syllables_of(run)
    for word, start in words_with_parts(run):
        if len(word) >= 2:
            terms.add(term(WORD, word))
            py = "".join(sy[start : start + len(word)])
            if py:
                terms.add(term(PINYIN, py))
    if len(run) == 1 and level == TITLE:
        terms.add(term(WORD, run))
    if not rich:
        return frozenset(terms)
    if len(run) <= 16:
        terms.add(term(WORD, run))
    for i in range(len(run) - 1):
        terms.add(term(BIGRAM, run[i : i + 2]))
        if sy[i] and sy[i + 1]:
            terms.add(term(PINYIN, sy[i] + sy[i + 1]))
    if level == TITLE:
        initials = "".join(s[:1] or "_" for s in sy)
        for i in range(len(run) - 1):
            terms.add(term(INITIALS, initials[i : i + INITIALS_LENGTH]))
        terms.update(term(CHAR, ch) for ch in run)
        terms.update(term(SYLLABLE, s) for s in sy if s)
    return frozenset(terms)


@dataclass
class Field:
    """One field of a document to index: its text, its weight and how much to analyse it."""

    text: str
    weight: float
    level: str = TEXT


def length_factor(text: str) -> float:
    """Short names win ties: a term in a 6-character name counts more than in a 20-character one."""
    n = len(normalize(text))
    return 1.0 + 2.0 / (n + 2)


def document_terms(fields: Iterable[Field], code: str = "") -> dict[str, float]:
    """All the terms of a document with their weights (the best field, plus a little for the others).

    A term found in several fields keeps its best weight plus a fifth of the others' (at most
    doubled). The fields are taken best first, so the first field to give a term gives its weight."""
    weighted = sorted(
        (
            (f.weight * (length_factor(f.text) if f.level == TITLE else 1.0), field_terms(f.text, f.level))
            for f in fields
            if f.text and f.text.strip()
        ),
        key=lambda pair: pair[0],
        reverse=True,
    )
    best: dict[str, float] = {}
    extra: dict[str, float] = {}
    for weight, terms in weighted:
        for t in terms:
            if t in best:
                extra[t] = extra.get(t, 0.0) + weight
            else:
                best[t] = weight
    rounded = {weight: round(weight, 3) for weight, _terms in weighted}
    result = {t: rounded[w] for t, w in best.items()}
    for t, e in extra.items():
        w = best[t]
        result[t] = round(w + min(0.2 * e, w), 3)
    if code:
        result[term(EXACT, normalize(code))] = 10.0
    return result


# --- queries ----------------------------------------------------------------------------------------


@dataclass
class QueryPlan:
    """What a query is looked up as.

    `terms` maps a term to (weight, concept): a concept is one thing the person asked about (a
    word of the query, with its synonyms); results that cover more of the concepts rank higher.
    `prefixes` are (low, high, weight, concept) ranges for initials; `weak_terms` (characters and
    syllables) are only used to suggest names when nothing matches.
    """

    text: str
    terms: dict[str, tuple[float, int | None]] = field(default_factory=dict)
    prefixes: list[tuple[str, str, float, int | None]] = field(default_factory=list)
    weak_terms: dict[str, float] = field(default_factory=dict)
    concepts: int = 0
    major: set[int] = field(default_factory=set)
    synonyms_used: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.terms and not self.prefixes

    def new_concept(self, major: bool = True) -> int:
        """A new concept; a major one (a word of two or more characters) must be matched by every result."""
        self.concepts += 1
        if major:
            self.major.add(self.concepts - 1)
        return self.concepts - 1

    def add(self, t: str, weight: float, concept: int | None = None) -> None:
        previous = self.terms.get(t)
        if previous is None:
            self.terms[t] = (weight, concept)
        else:
            self.terms[t] = (max(weight, previous[0]), previous[1] if previous[1] is not None else concept)


def strip_question(text: str) -> str:
    """Remove how people ask (怎么办, 在哪里, 需要什么材料 …), leaving what they ask about."""
    return _QUESTION_RE.sub(" ", text)


def content_runs(text: str) -> list[list[str]]:
    """The runs of the query, each a list of words, once question words and stop words are out."""
    runs: list[list[str]] = []
    for run in _runs(text):
        if not is_cjk(run):
            runs.append([run])
            continue
        current: list[str] = []
        for word in cut(run):
            if word in STOP_TOKENS:
                if current:
                    runs.append(current)
                current = []
            else:
                current.append(word)
        if current:
            runs.append(current)
    return runs


def _window_weight(length: int) -> float:
    return 1.0 + 0.8 * (length - 2)


def _add_cjk_run(plan: QueryPlan, tokens: list[str], concepts: list[int]) -> None:
    run = "".join(tokens)
    sy = syllables_of(run)
    n = len(run)
    owner: list[int] = []  # the concept of each character
    ends: list[int] = []  # where the word holding each character ends
    for token, concept in zip(tokens, concepts, strict=True):
        owner.extend([concept] * len(token))
        ends.extend([len(owner)] * len(token))
    if n == 1:
        plan.add(term(WORD, run), 0.6, owner[0])
        plan.add(term(CHAR, run), 0.4, owner[0])
        return
    for token, concept in zip(tokens, concepts, strict=True):
        if len(token) == 1:  # a one-character word still counts, through the characters of names
            plan.add(term(CHAR, token), 0.3, concept)
    plan.add(term(WORD, run), _window_weight(min(n, MAX_WINDOW + 2)), owner[0] if ends[0] == n else None)
    for size in range(2, min(n, MAX_WINDOW) + 1):
        weight = _window_weight(size)
        for i in range(n - size + 1):
            concept = owner[i] if i + size <= ends[i] else None
            plan.add(term(WORD, run[i : i + size]), weight, concept)
            py = "".join(sy[i : i + size])
            if py:
                plan.add(term(PINYIN, py), 0.7 * weight, concept)
            if size == 2:
                plan.add(term(BIGRAM, run[i : i + 2]), 0.4, concept)


def _add_latin_run(plan: QueryPlan, run: str, concept: int) -> None:
    if run.isdigit():
        plan.add(term(WORD, run), 1.0, concept)
        return
    plan.add(term(WORD, run), 1.5, concept)
    syllables = split_pinyin(run)
    if syllables:
        n = len(syllables)
        if n == 1:
            plan.add(term(SYLLABLE, syllables[0]), 0.3, concept)
        for size in range(2, min(n, MAX_WINDOW) + 1):
            for i in range(n - size + 1):
                plan.add(term(PINYIN, "".join(syllables[i : i + size])), _window_weight(size), concept)
    if 2 <= len(run) <= INITIALS_LENGTH:
        low = term(INITIALS, run)
        high = low[:-1] + chr(ord(low[-1]) + 1)
        plan.prefixes.append((low, high, 0.8 * _window_weight(len(run)), concept))


def analyse_query(query: str, synonyms: dict[str, tuple[str, ...]] | None = None) -> QueryPlan:
    """Turn what a person typed into weighted terms grouped in concepts.

    `synonyms` maps a normalised word to the other words of its group (see eban.search.synonyms).
    """
    text = normalize(query)
    plan = QueryPlan(text=text)
    if not text:
        return plan
    plan.add(term(EXACT, text), 5.0)
    stripped = strip_question(text)
    runs = content_runs(stripped)
    if not runs:  # the query was only question words: search them as they are
        stripped = text
        runs = [[r] for r in _runs(text)]

    token_concepts: dict[str, int] = {}
    run_concepts: list[list[int]] = []
    for tokens in runs:
        ids = []
        for token in tokens:
            if token not in token_concepts:
                token_concepts[token] = plan.new_concept(major=len(token) >= 2 or not is_cjk(token))
            ids.append(token_concepts[token])
        run_concepts.append(ids)

    if synonyms:
        compact = stripped.replace(" ", "")
        for key, others in synonyms.items():
            if not (key in token_concepts or (len(key) >= 2 and key in compact)):
                continue
            plan.synonyms_used.append(key)
            concept = token_concepts.get(key)
            if concept is None:
                related = [c for t, c in token_concepts.items() if t in key or key in t]
                concept = related[0] if related else plan.new_concept()
                if len(key) >= 2:
                    plan.major.add(concept)
            for other in others:
                _add_expansion(plan, other, concept, _window_weight(max(len(key), 2)))

    for tokens, ids in zip(runs, run_concepts, strict=True):
        if is_cjk(tokens[0]):
            _add_cjk_run(plan, tokens, ids)
        else:
            _add_latin_run(plan, tokens[0], ids[0])

    for run in _runs(stripped):
        if is_cjk(run):
            plan.weak_terms.update({term(CHAR, ch): 1.0 for ch in run})
            plan.weak_terms.update({term(SYLLABLE, s): 0.7 for s in syllables_of(run) if s})
        else:
            for s in split_pinyin(run) or ():
                plan.weak_terms[term(SYLLABLE, s)] = 0.7
    return plan


def _add_expansion(plan: QueryPlan, phrase: str, concept: int, base: float) -> None:
    """Add a synonym: it weighs like the word it stands for, a little less."""
    for run in _runs(phrase):
        if not is_cjk(run):
            plan.add(term(WORD, run), 1.5 * SYNONYM_FACTOR, concept)
            continue
        weight = max(base, _window_weight(min(len(run), MAX_WINDOW + 2))) * SYNONYM_FACTOR
        if len(run) == 1:
            plan.add(term(WORD, run), 0.6 * SYNONYM_FACTOR, concept)
            plan.add(term(CHAR, run), 0.4 * SYNONYM_FACTOR, concept)
            continue
        plan.add(term(WORD, run), weight, concept)
        sy = syllables_of(run)
        plan.add(term(PINYIN, "".join(sy)), 0.7 * weight, concept)
        for word, _start in words_with_parts(run):
            if len(word) >= 2 and word != run:
                plan.add(term(WORD, word), 0.7 * weight, concept)
        for i in range(len(run) - 1):
            plan.add(term(BIGRAM, run[i : i + 2]), 0.4 * SYNONYM_FACTOR, concept)
