// A zip file of a written archive, as Lambda receives it: each file deflated (or stored, when deflate does not
// shrink it), with local headers, a central directory and the end record. No zip64: a Lambda archive is far below
// 65,535 files and 4 GiB, and a larger one throws rather than writing a file no one can read.
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { archiveFiles } from "./archive";

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_RECORD = 0x06054b50;
const STORED = 0;
const DEFLATED = 8;
/** 1980-01-01 00:00 in MS-DOS format: a fixed time, so the same files always give the same bytes. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const MAX_ENTRIES = 0xffff;
const MAX_BYTES = 0xffffffff;

interface ZipEntry {
  name: Buffer;
  method: number;
  crc: number;
  size: number;
  data: Buffer;
  offset: number;
}

function localHeader(e: ZipEntry): Buffer {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(LOCAL_HEADER, 0);
  h.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
  h.writeUInt16LE(0x0800, 6); // flags: names are UTF-8
  h.writeUInt16LE(e.method, 8);
  h.writeUInt16LE(DOS_TIME, 10);
  h.writeUInt16LE(DOS_DATE, 12);
  h.writeUInt32LE(e.crc, 14);
  h.writeUInt32LE(e.data.length, 18);
  h.writeUInt32LE(e.size, 22);
  h.writeUInt16LE(e.name.length, 26);
  h.writeUInt16LE(0, 28);
  return Buffer.concat([h, e.name]);
}

function centralHeader(e: ZipEntry): Buffer {
  const h = Buffer.alloc(46);
  h.writeUInt32LE(CENTRAL_HEADER, 0);
  h.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0
  h.writeUInt16LE(20, 6);
  h.writeUInt16LE(0x0800, 8);
  h.writeUInt16LE(e.method, 10);
  h.writeUInt16LE(DOS_TIME, 12);
  h.writeUInt16LE(DOS_DATE, 14);
  h.writeUInt32LE(e.crc, 16);
  h.writeUInt32LE(e.data.length, 20);
  h.writeUInt32LE(e.size, 24);
  h.writeUInt16LE(e.name.length, 28);
  h.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attributes: a regular file, rw-r--r--
  h.writeUInt32LE(e.offset, 42);
  return Buffer.concat([h, e.name]);
}

function endRecord(count: number, directorySize: number, directoryOffset: number): Buffer {
  const h = Buffer.alloc(22);
  h.writeUInt32LE(END_RECORD, 0);
  h.writeUInt16LE(count, 8);
  h.writeUInt16LE(count, 10);
  h.writeUInt32LE(directorySize, 12);
  h.writeUInt32LE(directoryOffset, 16);
  return h;
}

/** A zip of `files` (name -> content), in the order given. */
export function zipFiles(files: ReadonlyArray<readonly [string, Buffer]>): Buffer {
  if (files.length > MAX_ENTRIES) throw new Error(`zip: ${files.length} files, more than ${MAX_ENTRIES} needs zip64`);
  const parts: Buffer[] = [];
  const entries: ZipEntry[] = [];
  let offset = 0;
  for (const [name, content] of files) {
    const deflated = zlib.deflateRawSync(content);
    const stored = deflated.length >= content.length;
    const entry = { name: Buffer.from(name, "utf8"), method: stored ? STORED : DEFLATED, crc: zlib.crc32(content), size: content.length, data: stored ? content : deflated, offset };
    const header = localHeader(entry);
    parts.push(header, entry.data);
    entries.push(entry);
    offset += header.length + entry.data.length;
    if (offset > MAX_BYTES) throw new Error("zip: more than 4 GiB needs zip64");
  }
  const directory = Buffer.concat(entries.map(centralHeader));
  return Buffer.concat([...parts, directory, endRecord(entries.length, directory.length, offset)]);
}

/** A zip of every file of the written archive in `dir`. */
export function zipArchive(dir: string): Buffer {
  return zipFiles(archiveFiles(dir).map((f) => [f, fs.readFileSync(path.join(dir, f))] as const));
}

/** Bytes of the written archive in `dir` as a zip file. */
export function zippedBytes(dir: string): number {
  return zipArchive(dir).length;
}
