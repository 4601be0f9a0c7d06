"""The GIL is released while evaluating: threads sharing one Rules object
evaluate at once and get the results one thread gets."""
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from conftest import AS_OF, as_json


def test_threads_share_rules(rules, population):
    lines = population.read_text().splitlines()[:80]
    want = [[as_json(r) for r in rules.evaluate(line, AS_OF)] for line in lines]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda line: [as_json(r) for r in rules.evaluate(line, AS_OF)],
                            lines))
    assert got == want


def test_other_threads_run_while_evaluating(rules, population):
    """A Python thread counts while this one evaluates partners.  With a
    switch interval longer than the test, the interpreter never takes the
    GIL from this thread: the counter advances only if evaluate() gives it
    up."""
    lines = sorted(population.read_text().splitlines(), key=len)[-5:]
    interval = sys.getswitchinterval()
    ticks = 0
    done = threading.Event()

    def count():
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0)

    counter = threading.Thread(target=count)
    counter.start()
    sys.setswitchinterval(60)
    try:
        start = ticks
        for _ in range(3):
            for line in lines:
                rules.evaluate(line, AS_OF)
        during = ticks - start
    finally:
        sys.setswitchinterval(interval)
        done.set()
        counter.join()
    assert during > 0
