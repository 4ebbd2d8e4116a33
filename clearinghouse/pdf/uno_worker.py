"""One warm LibreOffice, driven over UNO: read .docx from stdin, answer PDF on stdout.

Runs under Debian's /usr/bin/python3, the only interpreter LibreOffice's Python bridge (uno)
imports under, so it uses nothing but the standard library and uno; the app starts it (see
converter.py) and never imports it. The document and the PDF travel through the pipes and
LibreOffice's in-memory streams ("private:stream"): nothing is written to a file.

    /usr/bin/python3 uno_worker.py SOFFICE FOLDER

FOLDER is the converter's own 0700 folder on tmpfs, holding LibreOffice's throw-away user
profile (macros disabled, links never updated, no recovery or autosave) and its TMPDIR. Files
LibreOffice leaves in TMPDIR are removed after every answer. LibreOffice listens on a named
pipe (a local socket), never on the network.

Frames, both ways: 4-byte big-endian length, JSON header; 8-byte length, body.
Request header {"pdfa": bool}; answer {"ok": true} with the PDF, or {"ok": false, "error"}.
The first answer, before any request, is {"ready": true} once LibreOffice has started.
"""

import json
import os
import resource
import shutil
import struct
import subprocess
import sys
import time

PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
%s
</oor:items>
"""
SETTINGS = [
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "3"),
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "RemovePersonalInfoOnSaving", "true"),
    ("/org.openoffice.Office.Common/Misc", "UseLocking", "false"),
    ("/org.openoffice.Office.Common/Misc", "ShowTipOfTheDay", "false"),
    ("/org.openoffice.Office.Common/History", "PickListSize", "0"),
    ("/org.openoffice.Office.Common/History", "Size", "0"),
    ("/org.openoffice.Office.Common/Save/Document", "CreateBackup", "false"),
    ("/org.openoffice.Office.Recovery/AutoSave", "Enabled", "false"),
    ("/org.openoffice.Office.Recovery/RecoveryInfo", "Enabled", "false"),
    ("/org.openoffice.Office.Writer/Content/Update", "Link", "2"),  # 2: never update links
    ("/org.openoffice.Office.Common/Load", "UserDefinedSettings", "false"),
]
NO_UPDATE = 0  # com.sun.star.document.UpdateDocMode.NO_UPDATE
NEVER_EXECUTE = 0  # com.sun.star.document.MacroExecMode.NEVER_EXECUTE
PDFA_2B = 2  # writer_pdf_Export SelectPdfVersion


def profile_write(profile: str) -> None:
    """Write the throw-away user profile's settings: macros off, links never updated."""
    items = "\n".join(
        f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse">'
        f"<value>{value}</value></prop></item>"
        for path, name, value in SETTINGS
    )
    os.makedirs(os.path.join(profile, "user"), mode=0o700, exist_ok=True)
    with open(os.path.join(profile, "user", "registrymodifications.xcu"), "w") as file:
        file.write(PROFILE_SETTINGS % items)


def read_exact(stream, size: int) -> bytes:
    """Read exactly size bytes, or raise EOFError when the app has gone."""
    data = bytearray()
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return bytes(data)


def frame_read(stream) -> tuple[dict, bytes]:
    """Read one frame: the JSON header and the body."""
    (header_size,) = struct.unpack(">I", read_exact(stream, 4))
    header = json.loads(read_exact(stream, header_size))
    (body_size,) = struct.unpack(">Q", read_exact(stream, 8))
    return header, read_exact(stream, body_size)


def frame_write(stream, header: dict, body: bytes = b"") -> None:
    """Write one frame and flush it."""
    raw = json.dumps(header).encode()
    stream.write(struct.pack(">I", len(raw)) + raw + struct.pack(">Q", len(body)))
    stream.write(body)
    stream.flush()


def tmp_empty(tmp: str) -> None:
    """Remove every file LibreOffice left in its TMPDIR (its own folders stay, empty)."""
    for root, _dirs, files in os.walk(tmp):
        for name in files:
            try:
                os.remove(os.path.join(root, name))
            except OSError:
                pass


class Office:
    """A LibreOffice started headless on a named pipe, and the UNO desktop to drive it."""

    def __init__(self, soffice: str, folder: str):
        import uno

        self.uno = uno
        profile = os.path.join(folder, "profile")
        profile_write(profile)
        pipe = f"clearinghouse_pdf_{os.getpid()}"
        self.process = subprocess.Popen(
            [
                soffice,
                "-env:UserInstallation=file://" + profile,
                "--headless",
                "--invisible",
                "--nologo",
                "--nodefault",
                "--norestore",
                "--nolockcheck",
                "--nofirststartwizard",
                f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        url = f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"
        for _ in range(600):
            if self.process.poll() is not None:
                raise RuntimeError("LibreOffice stopped while starting")
            try:
                self.context = resolver.resolve(url)
                break
            except Exception:  # noqa: BLE001 - NoConnectException until it listens
                time.sleep(0.05)
        else:
            raise RuntimeError("LibreOffice did not start")
        manager = self.context.ServiceManager
        self.manager = manager
        self.desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", self.context)

    def _props(self, **values):
        from com.sun.star.beans import PropertyValue

        props = []
        for name, value in values.items():
            prop = PropertyValue()
            prop.Name, prop.Value = name, value
            props.append(prop)
        return tuple(props)

    def convert(self, docx: bytes, pdfa: bool) -> bytes:
        """Return the PDF of the .docx: tagged, and PDF/A-2b when asked."""
        import unohelper
        from com.sun.star.io import XOutputStream

        class Output(unohelper.Base, XOutputStream):
            def __init__(self):
                self.data = bytearray()

            def writeBytes(self, seq):  # noqa: N802 - UNO's names
                self.data += seq.value

            def flush(self):
                pass

            def closeOutput(self):  # noqa: N802
                pass

        stream = self.manager.createInstanceWithContext(
            "com.sun.star.io.SequenceInputStream", self.context
        )
        stream.initialize((self.uno.ByteSequence(docx),))
        document = self.desktop.loadComponentFromURL(
            "private:stream",
            "_blank",
            0,
            self._props(
                InputStream=stream,
                FilterName="MS Word 2007 XML",
                Hidden=True,
                ReadOnly=True,
                MacroExecutionMode=NEVER_EXECUTE,
                UpdateDocMode=NO_UPDATE,
            ),
        )
        if document is None:
            raise RuntimeError("LibreOffice could not read the document")
        try:
            filter_data = self._props(
                UseTaggedPDF=True,
                SelectPdfVersion=PDFA_2B if pdfa else 0,
                ExportBookmarks=True,
                ExportNotes=False,
                EmbedStandardFonts=True,
            )
            output = Output()
            document.storeToURL(
                "private:stream",
                self._props(
                    FilterName="writer_pdf_Export",
                    FilterData=self.uno.Any("[]com.sun.star.beans.PropertyValue", filter_data),
                    OutputStream=output,
                ),
            )
            return bytes(output.data)
        finally:
            document.close(True)

    def stop(self) -> None:
        """Ask LibreOffice to quit; kill it if it does not."""
        try:
            self.desktop.terminate()
        except Exception:  # noqa: BLE001, S110 - the bridge goes as it quits
            pass
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def main(argv: list[str]) -> int:
    """Start LibreOffice, say ready, then convert each document the app sends."""
    soffice, folder = argv[1], argv[2]
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash must not dump a document to disk
    tmp = os.path.join(folder, "tmp")
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but frames on the pipe
    office = None
    try:
        office = Office(soffice, folder)
        frame_write(sink, {"ready": True})
        while True:
            try:
                header, docx = frame_read(source)
            except EOFError:
                return 0
            try:
                pdf = office.convert(docx, bool(header.get("pdfa")))
                answer, body = {"ok": True}, pdf
            except Exception as exc:  # noqa: BLE001 - told to the app, which decides
                if office.process.poll() is not None:
                    return 1  # LibreOffice itself died: the app sees the pipe close
                answer, body = {"ok": False, "error": type(exc).__name__}, b""
            finally:
                docx = None
                tmp_empty(tmp)
            frame_write(sink, answer, body)
    finally:
        if office is not None:
            office.stop()
        shutil.rmtree(folder, ignore_errors=True)  # the app may be gone: leave nothing


if __name__ == "__main__":
    sys.exit(main(sys.argv))
