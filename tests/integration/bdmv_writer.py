#!/usr/bin/env python3
"""bdmv_writer: a small Blu-ray (BDMV) folder writer for cinemateca's tests.

No free Blu-ray authoring tool is packaged, so the tests write their own
discs from the published structure of the BDMV files: index.bdmv,
MovieObject.bdmv, PLAYLIST/*.mpls, CLIPINF/*.clpi, STREAM/*.m2ts and
META/DL/bdmt_eng.xml. Written from the layout facts only (field order and
widths); the discs are checked by libbluray and FFmpeg's bluray: input.

Usage:
  bdmv_writer.py OUT --clip 00001=a.m2ts --clip 00002=b.m2ts \
      --playlist 00800=00001@0,60,120 --playlist 00001=00002 [--name TEXT]
      [--lie 00002] [--truncate 00003] [--aacs]

--clip ID=FILE      copies an m2ts (ffmpeg -f mpegts -mpegts_m2ts_mode 1) into
                    STREAM/ID.m2ts, padded to whole 6144-byte aligned units;
                    its streams, PIDs, start and duration come from ffprobe.
--playlist N=C,C..  PLAYLIST/N.mpls playing the clips in order; after '@'
                    chapter starts in seconds from the title's start.
--lie ID            CLIPINF/ID.clpi claims ten times the packets its stream has.
--truncate N        PLAYLIST/N.mpls cut to its first 30 bytes.
--aacs              an AACS folder, as an encrypted disc has.
"""
import json
import os
import shutil
import struct
import subprocess
import sys

TS_PACKET = 192
ALIGNED_UNIT = 32 * TS_PACKET  # a Blu-ray reads m2ts in 6144-byte units

VIDEO_CODING = {"h264": 0x1B, "mpeg2video": 0x02, "hevc": 0x24, "vc1": 0xEA}
AUDIO_CODING = {"ac3": 0x81, "eac3": 0x84, "dts": 0x82, "mp2": 0x04, "mp1": 0x03,
                "pcm_bluray": 0x80, "truehd": 0x83}
ISO639_2 = {"en": "eng", "fr": "fra", "de": "deu", "es": "spa", "it": "ita", "ja": "jpn"}


def u8(v): return struct.pack(">B", v)
def u16(v): return struct.pack(">H", v)
def u32(v): return struct.pack(">I", v)


def probe(path):
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-of", "json", "-show_format", "-show_streams", path],
        check=True, capture_output=True, text=True).stdout
    info = json.loads(out)
    fmt = info["format"]
    start = float(fmt.get("start_time", 0))
    duration = float(fmt["duration"])
    streams = []
    for s in info["streams"]:
        pid = int(s["id"], 16)
        kind = s["codec_type"]
        codec = s["codec_name"]
        lang = s.get("tags", {}).get("language", "und")
        lang = ISO639_2.get(lang, lang)[:3].ljust(3, "d")
        if kind == "video" and codec in VIDEO_CODING:
            streams.append(("video", pid, VIDEO_CODING[codec], int(s.get("height", 0)), lang))
        elif kind == "audio" and codec in AUDIO_CODING:
            streams.append(("audio", pid, AUDIO_CODING[codec], int(s.get("channels", 2)), lang))
    return start, duration, streams


def video_format(height):
    # Blu-ray's video_format code: 1080p 6, 720p 5, 576i 2, 480i 1.
    return 6 if height >= 1080 else 5 if height >= 720 else 2 if height >= 576 else 1


def audio_format(channels):
    # audio presentation type: mono 1, stereo 3, multichannel 6.
    return 1 if channels == 1 else 3 if channels == 2 else 6


def stream_attributes(kind, coding, extra, lang, for_clpi):
    """Coding type, then format/rate nibbles, then (audio) the language."""
    if kind == "video":
        body = u8(coding) + u8(video_format(extra) << 4 | 3)  # rate 3: 25 Hz
        body += (u8(0x30) + b"\0\0") if for_clpi else b"\0\0\0"  # aspect 16:9
    else:
        body = u8(coding) + u8(audio_format(extra) << 4 | 1) + lang.encode()  # rate 1: 48 kHz
    if for_clpi:
        body += b"\0" * 12  # ISRC
        body = body.ljust(20, b"\0")
    return u8(len(body)) + body


def entry_points(path, video_pid):
    """(packet number, 90 kHz PTS) of each video keyframe: the packets that
    start a PES packet and carry the random-access flag."""
    points = []
    with open(path, "rb") as f:
        data = f.read()
    for spn in range(len(data) // TS_PACKET):
        p = data[spn * TS_PACKET + 4:(spn + 1) * TS_PACKET]
        if p[0] != 0x47 or not p[1] & 0x40 or ((p[1] & 0x1F) << 8 | p[2]) != video_pid:
            continue
        control = (p[3] >> 4) & 3
        if not (control & 2 and p[4] > 0 and p[5] & 0x40):
            continue
        pes = p[5 + p[4]:]
        if pes[:3] != b"\0\0\1" or not pes[7] & 0x80:
            continue
        t = pes[9:14]
        pts = ((t[0] >> 1) & 7) << 30 | t[1] << 22 | (t[2] >> 1) << 15 | t[3] << 7 | t[4] >> 1
        points.append((spn, pts))
    return points


def ep_map(video_pid, points):
    """The CPI's EP map for one video stream: a coarse entry (PTS bits 32..19,
    full packet number) for each fine entry (PTS bits 19..9, packet number's
    low 17 bits), which every reader accepts."""
    coarse = b"".join(u32(i << 14 | (pts >> 19) & 0x3FFF) + u32(spn)
                      for i, (spn, pts) in enumerate(points))
    fine = b"".join(u32(1 << 31 | 1 << 28 | ((pts >> 9) & 0x7FF) << 17 | (spn & 0x1FFFF))
                    for spn, pts in points)
    stream = u32(4 + len(coarse)) + coarse + fine
    # EP map: reserved, one stream; its PID, type 1 (video), counts, start.
    head = u8(0) + u8(1)
    counts = (1 << 34 | len(points) << 18 | len(points)).to_bytes(6, "big")
    head += u16(video_pid) + counts + u32(2 + 12)
    body = u16(1) + head + stream  # CPI type 1: EP map
    return u32(len(body)) + body


def write_clpi(path, clip, lie):
    packets = clip["packets"] * (10 if lie else 1)
    in_time, out_time = clip["in"], clip["out"]
    video_pid = next((s[1] for s in clip["streams"] if s[0] == "video"), 0x1011)
    clip_info = u16(0) + u8(1) + u8(1) + u32(0) + u32(48_000_000) + u32(packets)
    clip_info += b"\0" * 128 + u16(0)  # no TS type info block
    clip_info = u32(len(clip_info)) + clip_info
    seq = u8(0) + u8(1) + u32(0) + u8(1) + u8(0)  # one ATC sequence, one STC sequence
    seq += u16(video_pid) + u32(0) + u32(in_time) + u32(out_time)
    seq = u32(len(seq)) + seq
    prog = u8(0) + u8(1) + u32(0) + u16(0x0100) + u8(len(clip["streams"])) + u8(0)
    for kind, pid, coding, extra, lang in clip["streams"]:
        prog += u16(pid) + stream_attributes(kind, coding, extra, lang, True)
    prog = u32(len(prog)) + prog
    cpi = ep_map(video_pid, clip["entry_points"])
    marks = u32(0)
    seq_at = 40 + len(clip_info)
    prog_at = seq_at + len(seq)
    cpi_at = prog_at + len(prog)
    marks_at = cpi_at + len(cpi)
    head = b"HDMV0200" + u32(seq_at) + u32(prog_at) + u32(cpi_at) + u32(marks_at) + u32(0)
    head = head.ljust(40, b"\0")
    with open(path, "wb") as f:
        f.write(head + clip_info + seq + prog + cpi + marks)


def stn_for(clip):
    video = [s for s in clip["streams"] if s[0] == "video"]
    audio = [s for s in clip["streams"] if s[0] == "audio"]
    body = u16(0) + u8(len(video)) + u8(len(audio)) + u8(0) * 6 + b"\0" * 4
    for kind, pid, coding, extra, lang in video + audio:
        entry = u8(1) + u16(pid)
        body += u8(len(entry) + 6) + entry + b"\0" * 6
        body += stream_attributes(kind, coding, extra, lang, False)
    return u16(len(body)) + body


def write_mpls(path, clips, chapters):
    items = b""
    item_starts = []  # (title time, clip in_time, item index)
    title_time = 0
    for i, clip in enumerate(clips):
        item = clip["id"].encode() + b"M2TS" + u16(1)  # connection condition 1
        item += u8(0) + u32(clip["in"]) + u32(clip["out"]) + b"\0" * 8  # STC id, times, UO mask
        item += u8(0) + u8(0) + u16(0) + stn_for(clip)  # no still
        items += u16(len(item)) + item
        item_starts.append((title_time, clip["in"], i, clip["streams"]))
        title_time += clip["out"] - clip["in"]
    playlist = u16(0) + u16(len(clips)) + u16(0) + items
    playlist = u32(len(playlist)) + playlist
    marks = b""
    count = 0
    for seconds in chapters:
        at = int(round(seconds * 45000))
        start, in_time, index, streams = item_starts[0]
        for entry in item_starts:
            if entry[0] <= at:
                start, in_time, index, streams = entry
        pid = next((s[1] for s in streams if s[0] == "video"), 0x1011)
        marks += u8(0) + u8(1) + u16(index) + u32(in_time + at - start) + u16(pid) + u32(0)
        count += 1
    marks = u32(2 + len(marks)) + u16(count) + marks
    app_info = u8(0) + u8(1) + u16(0) + b"\0" * 8 + u16(0x4000)  # sequential, random access
    app_info = u32(len(app_info)) + app_info
    list_at = 40 + len(app_info)
    marks_at = list_at + len(playlist)
    head = b"MPLS0200" + u32(list_at) + u32(marks_at) + u32(0) + b"\0" * 20
    with open(path, "wb") as f:
        f.write(head + app_info + playlist + marks)


def write_index(path, titles):
    app_info = u32(34) + b"\0" * 34
    def hdmv(object_id):  # an HDMV movie object, movie playback
        return u8(0x40) + b"\0" * 3 + u16(0) + u16(object_id) + u32(0)
    index = hdmv(0) + u8(0x40) + b"\0" * 3 + u16(0) + u16(0xFFFF) + u32(0)  # first play, no menu
    index += u16(len(titles))
    for i in range(len(titles)):
        index += hdmv(i)
    index = u32(len(index)) + index
    head = b"INDX0200" + u32(40 + len(app_info)) + u32(0) + b"\0" * 24
    with open(path, "wb") as f:
        f.write(head + app_info + index)


def write_movie_objects(path, titles):
    objects = b""
    for number in titles:
        # PlayPL with an immediate playlist number: branch group, play
        # sub-group, one operand.
        command = bytes([0x0A, 0x80, 0x00, 0x00]) + u32(number) + u32(0)
        objects += u16(0) + u16(1) + command
    body = u32(0) + u16(len(titles)) + objects
    head = b"MOBJ0200" + u32(0) + b"\0" * 28
    with open(path, "wb") as f:
        f.write(head + u32(len(body)) + body)


def write_bdmt(path, name):
    esc = name.replace("&", "&amp;").replace("<", "&lt;")
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="utf-8"?>\n'
                '<disclib xmlns="urn:BDA:bdmv;disclib" xmlns:di="urn:BDA:bdmv;discinfo">\n'
                '  <di:discinfo>\n    <di:date>2024-01-01</di:date>\n'
                f'    <di:title>\n      <di:name>{esc}</di:name>\n    </di:title>\n'
                '    <di:language>eng</di:language>\n  </di:discinfo>\n</disclib>\n')


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    out = argv[1]
    clips, playlists, lies, truncate = {}, [], set(), set()
    name, aacs = None, False
    args = iter(argv[2:])
    for a in args:
        if a == "--clip":
            cid, src = next(args).split("=", 1)
            clips[cid] = src
        elif a == "--playlist":
            num, spec = next(args).split("=", 1)
            seq, _, chap = spec.partition("@")
            playlists.append((num, seq.split(","), [float(c) for c in chap.split(",") if c]))
        elif a == "--name":
            name = next(args)
        elif a == "--lie":
            lies.add(next(args))
        elif a == "--truncate":
            truncate.add(next(args))
        elif a == "--aacs":
            aacs = True
        else:
            sys.exit(f"unknown option {a}")
    bdmv = os.path.join(out, "BDMV")
    for d in ("PLAYLIST", "CLIPINF", "STREAM", "AUXDATA", "BDJO", "JAR", "META/DL", "BACKUP"):
        os.makedirs(os.path.join(bdmv, d), exist_ok=True)
    info = {}
    for cid, src in clips.items():
        dst = os.path.join(bdmv, "STREAM", cid + ".m2ts")
        shutil.copyfile(src, dst)
        size = os.path.getsize(dst)
        if size % TS_PACKET:
            sys.exit(f"{src}: not whole 192-byte packets (use -mpegts_m2ts_mode 1)")
        # Pad with null packets (PID 0x1FFF) to whole aligned units.
        null = b"\0" * 4 + b"\x47\x1f\xff\x10" + b"\xff" * 184
        with open(dst, "ab") as f:
            while size % ALIGNED_UNIT:
                f.write(null)
                size += TS_PACKET
        start, duration, streams = probe(dst)
        video_pid = next((s[1] for s in streams if s[0] == "video"), 0x1011)
        info[cid] = {"id": cid, "packets": size // TS_PACKET, "streams": streams,
                     "entry_points": entry_points(dst, video_pid),
                     "in": int(round(start * 45000)),
                     "out": int(round((start + duration) * 45000))}
        write_clpi(os.path.join(bdmv, "CLIPINF", cid + ".clpi"), info[cid], cid in lies)
    for num, seq, chapters in playlists:
        write_mpls(os.path.join(bdmv, "PLAYLIST", num + ".mpls"), [info[c] for c in seq], chapters)
    titles = [int(num) for num, _, _ in playlists]
    write_index(os.path.join(bdmv, "index.bdmv"), titles)
    write_movie_objects(os.path.join(bdmv, "MovieObject.bdmv"), titles)
    # A real disc keeps copies of its index files in BACKUP.
    for f in ("index.bdmv", "MovieObject.bdmv"):
        shutil.copyfile(os.path.join(bdmv, f), os.path.join(bdmv, "BACKUP", f))
    for sub in ("PLAYLIST", "CLIPINF"):
        os.makedirs(os.path.join(bdmv, "BACKUP", sub), exist_ok=True)
        for f in os.listdir(os.path.join(bdmv, sub)):
            shutil.copyfile(os.path.join(bdmv, sub, f), os.path.join(bdmv, "BACKUP", sub, f))
    if name:
        write_bdmt(os.path.join(bdmv, "META", "DL", "bdmt_eng.xml"), name)
    for num in truncate:
        # Both copies: libbluray falls back to BACKUP when the first is damaged.
        for base in (bdmv, os.path.join(bdmv, "BACKUP")):
            p = os.path.join(base, "PLAYLIST", num + ".mpls")
            with open(p, "r+b") as f:
                f.truncate(30)
    if aacs:
        os.makedirs(os.path.join(out, "AACS"), exist_ok=True)
        with open(os.path.join(out, "AACS", "Unit_Key_RO.inf"), "wb") as f:
            f.write(os.urandom(256))


if __name__ == "__main__":
    main(sys.argv)
