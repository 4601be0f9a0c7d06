#!/usr/bin/env python3
"""Write the bytecode entries of the catalogue (bc_*.rbc).

    tests/catalogue/make_rbc.py RUBRIC_BINARY

compiles modules/rbc_base.rubric with the given rubric binary and writes
damaged copies of it next to this script.  Damage meant for the reader's
structure checks or the verifier gets a recomputed CRC-32, so that the
checksum does not hide it; "flipped byte" keeps the old CRC on purpose.
The layout follows docs/bytecode.md; the opcode table is read from
runtime/bytecode/opcodes.h so that it is written down once.  Run it again when the
bytecode format changes, then review the .expect files.
"""
import os
import re
import struct
import subprocess
import sys
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
OPERAND_SIZES = {"OPND_NONE": 0, "OPND_U8": 1, "OPND_LOCAL": 2, "OPND_FIELD": 2,
                 "OPND_CONST": 4, "OPND_CHUNK": 4, "OPND_JUMP": 4}
HEADER = 16
SECTION_ENTRY = 12
SEC_CHUNKS, SEC_PROGRAMS = 7, 8


def opcodes():
    """[(name, operand size)] in opcode order, from runtime/bytecode/opcodes.h."""
    text = open(os.path.join(SOURCE, "runtime", "opcodes.h")).read()
    return [(name, OPERAND_SIZES[kind])
            for name, kind in re.findall(r"OP\((\w+),\s*(OPND_\w+)", text)]


def compile_base(rubric):
    out = tempfile.NamedTemporaryFile(suffix=".rbc", delete=False).name
    subprocess.run([rubric, "compile", os.path.join(HERE, "modules", "rbc_base.rubric"),
                    "-o", out], check=True)
    data = open(out, "rb").read()
    os.unlink(out)
    return bytearray(data)


def with_crc(data):
    body = bytes(data[:-4])
    return bytearray(body + struct.pack("<I", zlib.crc32(body) & 0xFFFFFFFF))


def section(data, sec_id):
    """(offset, length) of a section's payload."""
    entry = HEADER + (sec_id - 1) * SECTION_ENTRY
    found, offset, length = struct.unpack_from("<III", data, entry)
    assert found == sec_id
    return offset, length


def chunks(data):
    """[(name index, code offset, code length)] of every chunk."""
    pos, _ = section(data, SEC_CHUNKS)
    (count,) = struct.unpack_from("<I", data, pos)
    pos += 4
    found = []
    for _ in range(count):
        name, _flags, nparams = struct.unpack_from("<IBH", data, pos)
        pos += 7 + 4 * nparams + 4
        (code_len,) = struct.unpack_from("<I", data, pos)
        pos += 4
        found.append((name, pos, code_len))
        pos += code_len
    return found


def instructions(data, code, length):
    """[(opcode name, offset of the opcode byte, operand size)] of a chunk."""
    table = opcodes()
    pos, found = code, []
    while pos < code + length:
        name, size = table[data[pos]]
        found.append((name, pos, size))
        pos += 1 + size
    return found


def first(data, opcode):
    """(opcode offset, chunk code offset, chunk code length) of the first
    instruction with this opcode."""
    for _name, code, length in chunks(data):
        for name, pos, _size in instructions(data, code, length):
            if name == opcode:
                return pos, code, length
    raise SystemExit("make_rbc.py: the base has no %s instruction" % opcode)


def damaged(base):
    """{file name: bytes}"""
    files = {}
    files["bc_empty.rbc"] = b""
    files["bc_truncated_in_magic.rbc"] = base[:5]
    files["bc_truncated_in_header.rbc"] = base[:14]
    files["bc_truncated_in_section_table.rbc"] = with_crc(base[:60] + b"\0\0\0\0")
    files["bc_truncated_in_payload.rbc"] = base[: len(base) // 2]
    files["bc_truncated_in_payload_crc.rbc"] = with_crc(base[: len(base) // 2])
    files["bc_truncated_checksum.rbc"] = base[:-2]

    flipped = bytearray(base)
    flipped[len(base) // 2] ^= 0x40
    files["bc_flipped_byte.rbc"] = flipped

    magic = bytearray(base)
    magic[0:8] = b"RUBRICBX"
    files["bc_wrong_magic.rbc"] = with_crc(magic)
    files["bc_text_file.rbc"] = b"import apn.partner\n"

    version = bytearray(base)
    struct.pack_into("<H", version, 8, 2)
    files["bc_wrong_version.rbc"] = with_crc(version)

    flags = bytearray(base)
    struct.pack_into("<H", flags, 10, 1)
    files["bc_nonzero_flags.rbc"] = with_crc(flags)

    files["bc_trailing_bytes.rbc"] = with_crc(base[:-4] + b"\0\0\0\0" + b"\0\0\0\0")

    huge = bytearray(base)
    strings, _ = section(huge, 1)
    struct.pack_into("<I", huge, strings, 0xFFFFFFF0)
    files["bc_huge_string_count.rbc"] = with_crc(huge)

    const = bytearray(base)
    pos, _, _ = first(const, "CONST")
    struct.pack_into("<I", const, pos + 1, 60000)
    files["bc_const_index_out_of_range.rbc"] = with_crc(const)

    program = bytearray(base)
    programs, _ = section(program, SEC_PROGRAMS)
    struct.pack_into("<I", program, programs + 4, 0x00FFFFFF)  # the first program's id
    files["bc_string_index_out_of_range.rbc"] = with_crc(program)

    past_end = bytearray(base)
    pos, code, length = first(past_end, "AND_JUMP")
    struct.pack_into("<I", past_end, pos + 1, length)  # past the end of the code
    files["bc_jump_past_end.rbc"] = with_crc(past_end)

    mid = bytearray(base)
    pos, code, length = first(mid, "AND_JUMP")
    # Onto the operand of the first instruction after the jump that has one.
    inside = next(at + 1 for _n, at, size in instructions(mid, code, length)
                  if at > pos and size > 0)
    struct.pack_into("<I", mid, pos + 1, inside - (pos + 5))
    files["bc_jump_into_instruction.rbc"] = with_crc(mid)

    # A call out of range in code no path reaches: such code is never
    # type-checked, but every pass that walks the code must still be safe.
    dead = bytearray(base)
    pos, code, length = first(dead, "AND_JUMP")
    table = [name for name, _size in opcodes()]
    first_two = instructions(dead, code, length)[:2]
    assert [name for name, _at, _size in first_two] == ["LOCAL", "FIELD"]
    at = code + 6  # after LOCAL 0; FIELD registered
    dead[at] = table.index("IS_NULL")
    dead[at + 1] = table.index("RET")
    dead[at + 2] = table.index("CALL")
    struct.pack_into("<I", dead, at + 3, 0x00FFFFFF)
    for i in range(at + 7, code + length):
        dead[i] = table.index("POP")
    files["bc_call_in_unreachable_code.rbc"] = with_crc(dead)

    opcode = bytearray(base)
    pos, _, _ = first(opcode, "AND_JUMP")
    opcode[pos] = 0xEE
    files["bc_unknown_opcode.rbc"] = with_crc(opcode)
    return files


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: make_rbc.py RUBRIC_BINARY")
    base = compile_base(sys.argv[1])
    for name, data in sorted(damaged(base).items()):
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(bytes(data))
        print(name, len(data))


if __name__ == "__main__":
    main()
