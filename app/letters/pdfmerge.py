"""One tagged PDF from many: pages, structure trees and metadata joined (for a pack to print)."""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

import pikepdf
from pikepdf import Array, Dictionary, Name


def _xmp(title: str, author: str) -> bytes:
    """XMP metadata naming the document and declaring PDF/UA-1, as WeasyPrint writes it."""
    return (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
        '<rdf:Description rdf:about="" pdfuaid:part="1" />'
        '<rdf:Description rdf:about=""><dc:title><rdf:Alt><rdf:li xml:lang="x-default">'
        f"{escape(title)}</rdf:li></rdf:Alt></dc:title></rdf:Description>"
        '<rdf:Description rdf:about=""><dc:creator><rdf:Seq><rdf:li>'
        f"{escape(author)}</rdf:li></rdf:Seq></dc:creator></rdf:Description>"
        '<rdf:Description rdf:about=""><xmp:CreatorTool>Reprise</xmp:CreatorTool>'
        "</rdf:Description></rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="r"?>'
    ).encode()


def _copy(out: pikepdf.Pdf, value: pikepdf.Object) -> pikepdf.Object:
    """A direct array of references, copied item by item."""
    return Array([out.copy_foreign(item) if item.is_indirect else item for item in value])


def merge_tagged_pdfs(documents: list[bytes], title: str, author: str, lang: str) -> bytes:
    """Join tagged PDFs: each one's structure becomes a section of one Document element."""
    out = pikepdf.new()
    root_element = out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array()))
    tree_root = out.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array([root_element])))
    root_element.P = tree_root
    numbers = Array()
    offset = 0
    sources: list[pikepdf.Pdf] = []
    for data in documents:
        source = pikepdf.open(BytesIO(data))
        sources.append(source)  # Kept open until the output is written.
        first = len(out.pages)
        out.pages.extend(source.pages)
        tree = source.Root.get("/StructTreeRoot")
        if tree is None:
            continue
        kids = list(tree.K) if isinstance(tree.K, Array) else [tree.K]
        for kid in kids:
            element = out.copy_foreign(kid)
            if element.get("/S") == Name.Document:
                element.S = Name.Part
            element.P = root_element
            root_element.K.append(element)
        highest = -1
        source_numbers = tree.ParentTree.get("/Nums", Array())
        for index in range(0, len(source_numbers), 2):
            key = int(source_numbers[index])
            highest = max(highest, key)
            numbers.append(key + offset)
            value = source_numbers[index + 1]
            numbers.append(out.copy_foreign(value) if value.is_indirect else _copy(out, value))
        for page in out.pages[first:]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annotation in page.obj.get("/Annots", Array()):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
        if "/RoleMap" in tree and "/RoleMap" not in tree_root:
            tree_root.RoleMap = out.copy_foreign(tree.RoleMap)
        offset += highest + 1
    tree_root.ParentTree = out.make_indirect(Dictionary(Nums=numbers))
    tree_root.ParentTreeNextKey = offset
    out.Root.StructTreeRoot = tree_root
    out.Root.MarkInfo = Dictionary(Marked=True)
    out.Root.Lang = pikepdf.String(lang)
    out.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    out.Root.Metadata = out.make_stream(_xmp(title, author), Type=Name.Metadata, Subtype=Name.XML)
    out.docinfo.Title = title
    out.docinfo.Author = author
    out.docinfo.Creator = "Reprise"
    buffer = BytesIO()
    out.save(buffer, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    for source in sources:
        source.close()
    return buffer.getvalue()
