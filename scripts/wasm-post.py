#!/usr/bin/env python3
"""What the build does after wasm-split-cli and wasm-bindgen (scripts/build.sh): two edits to WASM files, and the
list of the files each split-out page needs.

    wasm-post.py export-function-table MAIN.wasm   export the main module's function table as
                                                   `__indirect_function_table` (unless it is already)
    wasm-post.py strip-names FILE.wasm...          remove the custom sections (names, producers), in place
    wasm-post.py manifest LOADER.js MANIFEST.json  write, for each split-out module, the WASM files its loader
                                                   fetches (its chunks, then its own file), read from the loader

Why the first: wasm-split-cli exports the main module's function table, through which the split-out modules call
into it, and its loader (`__wasm_split.js`) reads that export when it instantiates a split-out module; wasm-bindgen
(0.2.129) drops the export when it binds the main module, and the loader then fails with « __indirect_function_table
is undefined ». Exporting the table again changes no code.

Why the second: wasm-bindgen removes the names from the main module (`--remove-name-section`); the split-out
modules do not go through wasm-bindgen. Custom sections carry no code or data.

Why the third: the server names those files in `<link rel="preload">` when it serves a split-out page, so that the
browser fetches them alongside the main module instead of after it (app/src/lib.rs, `SplitPreloads`), and
scripts/check-wasm-size.sh weighs each page with them. wasm-split-cli computes this list but writes it only into
the loader, as `export const __wasm_split_load_<module> = wrapAsyncCb(makeLoad(<fetch of split_<module>.wasm, or
nothing when the module is empty>, [__chunk_<n>, …]))`, `__chunk_<n>` fetching `chunk_<n>.wasm`.
"""
import json
import re
import sys


def uleb(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, pos


def leb(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def sections(path: str, data: bytes):
    """(id, start, body start, end) of each section."""
    if data[:4] != b"\0asm":
        sys.exit(f"{path}: not a WASM file")
    pos = 8
    while pos < len(data):
        size, body = uleb(data, pos + 1)
        end = body + size
        if end > len(data):
            sys.exit(f"{path}: truncated section at byte {pos}")
        yield data[pos], pos, body, end
        pos = end


def strip_names(path: str) -> None:
    data = open(path, "rb").read()
    out = bytearray(data[:8])
    for section_id, start, _, end in sections(path, data):
        if section_id != 0:
            out += data[start:end]
    open(path, "wb").write(out)


NAME = b"__indirect_function_table"
FUNCREF, IMPORT_SECTION, TABLE_SECTION, EXPORT_SECTION, TABLE_KIND = 0x70, 2, 4, 7, 1


def export_function_table(path: str) -> None:
    data = open(path, "rb").read()
    imported_tables = 0
    funcref_tables = []
    for section_id, _, body, end in sections(path, data):
        if section_id == IMPORT_SECTION:
            count, pos = uleb(data, body)
            for _ in range(count):
                for _field in range(2):  # module name, item name
                    length, pos = uleb(data, pos)
                    pos += length
                kind = data[pos]
                pos += 1
                if kind == 0:  # function: type index
                    _, pos = uleb(data, pos)
                elif kind == TABLE_KIND:  # table: ref type, limits
                    imported_tables += 1
                    pos = skip_limits(data, pos + 1)
                elif kind == 2:  # memory: limits
                    pos = skip_limits(data, pos)
                elif kind == 3:  # global: value type, mutability
                    pos += 2
                else:
                    sys.exit(f"{path}: unexpected import kind {kind}")
        elif section_id == TABLE_SECTION:
            count, pos = uleb(data, body)
            for index in range(count):
                ref_type = data[pos]
                pos = skip_limits(data, pos + 1)
                if ref_type == FUNCREF:
                    funcref_tables.append(imported_tables + index)
        elif section_id == EXPORT_SECTION:
            count, pos = uleb(data, body)
            for _ in range(count):
                length, pos = uleb(data, pos)
                name = data[pos : pos + length]
                pos += length + 1
                _, pos = uleb(data, pos)
                if name == NAME:
                    return  # already exported
    if len(funcref_tables) != 1:
        sys.exit(f"{path}: expected one defined function table, found {len(funcref_tables)}")
    out = bytearray(data[:8])
    for section_id, start, body, end in sections(path, data):
        if section_id == EXPORT_SECTION:
            count, pos = uleb(data, body)
            entry = leb(len(NAME)) + NAME + bytes([TABLE_KIND]) + leb(funcref_tables[0])
            new_body = leb(count + 1) + data[pos:end] + entry
            out += bytes([EXPORT_SECTION]) + leb(len(new_body)) + new_body
        else:
            out += data[start:end]
    open(path, "wb").write(out)


def skip_limits(data: bytes, pos: int) -> int:
    flags, pos = uleb(data, pos)
    _, pos = uleb(data, pos)
    if flags & 1:
        _, pos = uleb(data, pos)
    return pos


def manifest(loader_path: str, out_path: str) -> None:
    loader = open(loader_path).read()
    loaders = re.findall(
        r"export const __wasm_split_load_(\w+) = wrapAsyncCb\(makeLoad\((.*?), \[([^\]]*)\]\)\);?\n", loader, re.S
    )
    if not loaders:
        sys.exit(f"{loader_path}: no split-out module's loader found (has wasm-split-cli changed its output?)")
    files = {}
    for module, fetcher, deps in loaders:
        chunks = [f"chunk_{n}.wasm" for n in re.findall(r"__chunk_(\d+)", deps)]
        own = re.findall(r'"\./(split_\w+\.wasm)"', fetcher)
        files[module] = chunks + own
    with open(out_path, "w") as out:
        json.dump(files, out, indent=1, sort_keys=True)
        out.write("\n")


if __name__ == "__main__":
    match sys.argv[1:]:
        case ["export-function-table", path]:
            export_function_table(path)
        case ["manifest", loader_path, out_path]:
            manifest(loader_path, out_path)
        case ["strip-names", *paths]:
            for p in paths:
                strip_names(p)
        case _:
            sys.exit(__doc__)
