# Records what ansible.posix.json leaves out: whether a failed or unreachable result was
# ignored (ignore_errors / ignore_unreachable). One JSON line per result, keyed by host and
# task uuid (the json callback's task id), in the file $HERDBOOK_MARKS.
from __future__ import annotations

import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = '''
    name: herdbook_marks
    type: aggregate
    short_description: ignored failures, for herdbook's conformance suite
    description: Writes one line per failed or unreachable result to $HERDBOOK_MARKS.
'''


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'herdbook_marks'
    CALLBACK_NEEDS_ENABLED = True

    def _mark(self, result, kind, ignored):
        path = os.environ.get('HERDBOOK_MARKS')
        if not path:
            return
        line = {'host': result._host.get_name(), 'task': str(result._task._uuid), 'kind': kind, 'ignored': bool(ignored)}
        with open(path, 'a') as f:
            f.write(json.dumps(line) + '\n')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._mark(result, 'failed', ignore_errors)

    def v2_runner_on_unreachable(self, result):
        self._mark(result, 'unreachable', getattr(result._task, 'ignore_unreachable', False))
