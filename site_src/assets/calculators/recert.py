"""/recertification/: the ACE recertification tracker (wiring only: runs in the page's Web Worker).

The rules, every figure and the lists' text are calculator_pages.recert_session's; the page
(recert-page.js) keeps the state in the browser's localStorage and nowhere else.
"""

from calculator_pages.recert_session import TrackerSession

session = TrackerSession()


def handle(message):
    return session.handle(message.to_py())
