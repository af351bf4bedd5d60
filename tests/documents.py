"""Reading downloads as a person would: the text of a PDF (as WeasyPrint writes it) and of
an XLSX workbook, so a test can look for what must not be in them.

No PDF library is installed, and WeasyPrint's text is not plain in the file: each page's
content stream is compressed (FlateDecode) and draws glyph numbers of a subset font, which
the font's ToUnicode map turns back into characters. `pdf_text` inflates every stream,
reads the objects packed in object streams, maps each font resource name to its ToUnicode
map and decodes the text-showing operators with the font in use.
"""

import io
import re
import zlib

_OBJECT = re.compile(rb"(\d+)\s+\d+\s+obj\b(.*?)\bendobj", re.S)
_STREAM = re.compile(rb"^(.*?)\bstream\r?\n(.*?)\r?\n?endstream", re.S)
_REF = rb"(\d+)\s+\d+\s+R"


def _inflate(head, data):
    if b"/FlateDecode" not in head:
        return data
    try:
        return zlib.decompress(data)
    except zlib.error:
        return zlib.decompressobj().decompress(data)  # trailing bytes after the stream's end


def _objects(pdf):
    """{object number: (dictionary bytes, inflated stream bytes or None)}, object streams unpacked."""
    objects = {}
    for match in _OBJECT.finditer(pdf):
        number, body = int(match.group(1)), match.group(2)
        stream = _STREAM.match(body)
        if stream:
            objects[number] = (stream.group(1), _inflate(stream.group(1), stream.group(2)))
        else:
            objects[number] = (body, None)
    for head, data in list(objects.values()):
        if data is None or b"/ObjStm" not in head:
            continue
        first = int(re.search(rb"/First\s+(\d+)", head).group(1))
        count = int(re.search(rb"/N\s+(\d+)", head).group(1))
        numbers = [int(n) for n in data[:first].split()][: 2 * count]
        pairs = list(zip(numbers[::2], numbers[1::2]))
        for i, (number, offset) in enumerate(pairs):
            end = first + pairs[i + 1][1] if i + 1 < len(pairs) else len(data)
            objects.setdefault(number, (data[first + offset:end], None))
    return objects


def _cmap(data):
    """A ToUnicode CMap as {code bytes: text}, and the code length in bytes."""
    space = re.search(rb"begincodespacerange\s*<([0-9a-fA-F]+)>", data)
    width = len(space.group(1)) // 2 if space else 2
    mapping = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block):
            mapping[bytes.fromhex(src.decode())] = bytes.fromhex(dst.decode()).decode("utf-16-be", "replace")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, rest in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]*>)", block):
            low, high, size = int(lo, 16), int(hi, 16), len(lo) // 2
            if rest.startswith(b"["):
                targets = [bytes.fromhex(t.decode()) for t in re.findall(rb"<([0-9a-fA-F]*)>", rest)]
            else:
                start = int(rest[1:-1] or b"0", 16)
                targets = [(start + i).to_bytes(len(rest[1:-1]) // 2 or 2, "big") for i in range(high - low + 1)]
            for i, target in enumerate(targets[: high - low + 1]):
                mapping[(low + i).to_bytes(size, "big")] = target.decode("utf-16-be", "replace")
    return mapping, width


def _fonts(objects):
    """{font resource name: (cmap, code width)} for every font with a ToUnicode map."""
    cmaps = {}
    for number, (head, _data) in objects.items():
        to_unicode = re.search(rb"/ToUnicode\s+" + _REF, head)
        if to_unicode and int(to_unicode.group(1)) in objects:
            stream = objects[int(to_unicode.group(1))][1]
            if stream:
                cmaps[number] = _cmap(stream)
    fonts = {}
    for head, _data in objects.values():
        for font_dict in re.findall(rb"/Font\s*<<(.*?)>>", head, re.S) + [
            objects.get(int(ref), (b"", None))[0] for ref in re.findall(rb"/Font\s+" + _REF, head)
        ]:
            for name, ref in re.findall(rb"/([^\s/<>\[\]()]+)\s+" + _REF, font_dict):
                if int(ref) in cmaps:
                    fonts[name] = cmaps[int(ref)]
    return fonts


_TOKENS = re.compile(
    rb"/([^\s/<>\[\]()]+)\s+[\d.]+\s+Tf|<([0-9a-fA-F\s]*)>|\((?:\\.|[^\\)])*\)|\b(?:ET|Tm|Td|TD|T\*)\b"
)


def _decode(hex_codes, font):
    cmap, width = font or ({}, 2)
    raw = bytes.fromhex(hex_codes.decode().replace(" ", "").replace("\n", ""))
    return "".join(cmap.get(raw[i:i + width], "") for i in range(0, len(raw), width))


def pdf_text(pdf):
    """The text a reader sees in the PDF, one line per run of text placed on the page (a word
    broken over two runs, as a name half in bold, is found in `"".join(text.split("\n"))`),
    followed by every inflated stream and dictionary as Latin-1, so metadata and any plain
    text are searched too."""
    objects = _objects(pdf)
    fonts = _fonts(objects)
    lines = []
    for head, data in objects.values():
        if not data or b"BT" not in data or b"/ObjStm" in head:
            continue
        font, line = None, []
        for match in _TOKENS.finditer(data):
            token = match.group(0)
            if match.group(1) is not None:
                font = fonts.get(match.group(1))
            elif match.group(2) is not None:
                line.append(_decode(match.group(2), font))
            elif token in (b"ET", b"Tm", b"Td", b"TD", b"T*"):  # a new line or a new place on the page
                lines.append("".join(line))
                line = []
            else:  # a literal string
                line.append(token[1:-1].decode("latin-1"))
        lines.append("".join(line))
    raw = [head.decode("latin-1") + (data or b"").decode("latin-1") for head, data in objects.values()]
    return "\n".join(lines + raw)


def xlsx_text(data):
    """Every sheet's name and every cell's value of an XLSX workbook, one line per row."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True)
    lines = []
    for sheet in workbook.worksheets:
        lines.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            lines.append("\t".join("" if value is None else str(value) for value in row))
    return "\n".join(lines)
