"""A real SMTP server for the end-to-end tests: prints each received message, raw as sent, between
markers on stdout (run by public-day.e2e.mjs with the tests' own Python, `tests/py_tools.py`)."""
import sys
import time

from aiosmtpd.controller import Controller


class Print:
    async def handle_DATA(self, server, session, envelope):
        sys.stdout.write("\n===== MESSAGE " + ",".join(envelope.rcpt_tos) + "\n")
        sys.stdout.write(envelope.content.decode("utf-8", "replace"))
        sys.stdout.write("\n===== END\n")
        sys.stdout.flush()
        return "250 OK"


controller = Controller(Print(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("listening", flush=True)
try:
    while True:
        time.sleep(3600)
except KeyboardInterrupt:
    pass
finally:
    controller.stop()
