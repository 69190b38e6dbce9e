#!/usr/bin/env python3
"""bench/profile-report.py DIR: the summary of a bench/profile.sh run (see its header).

Reads DIR/nN.collapsed (async-profiler, thread name as the root frame), DIR/nN-tasks-{start,loaded,begin,end}.txt
(per-thread CPU ticks), DIR/nN-gc-{begin,end}.txt (jstat -gcutil) and DIR/bench-run.json. Prints CPU shares by area
and by thread group, JIT share, GC counts, the top self-time frames and the costliest call paths, in us per operation.
"""
import json, os, re, sys
from collections import Counter, defaultdict

out = sys.argv[1]
top_n = int(sys.argv[2]) if len(sys.argv) > 2 else 30


def nodes():
    i = 1
    while os.path.exists(f"{out}/n{i}-tasks-begin.txt"):
        yield i
        i += 1


def group(name):
    """A thread name without its numbers and ids: 'grpc-default-executor-3' -> 'grpc-default-executor-#'."""
    name = re.sub(r"[0-9a-fA-F]{8}-[0-9a-fA-F-]{27,}", "*", name)      # uuids (Ratis peer / group ids)
    name = re.sub(r"group-[0-9A-Fa-f]{6,}", "group-*", name)
    name = re.sub(r"\b[0-9A-Fa-f]{12,}\b", "*", name)
    name = re.sub(r"\d+", "#", name)
    return name


def tasks(i, tag):
    with open(f"{out}/n{i}-tasks-{tag}.txt") as f:
        head = f.readline().split()
        ms, hz = int(head[1]), int(head[2])
        t = {}
        for line in f:
            parts = line.rstrip("\n").split("\t", 3)
            if len(parts) == 3:       # written before context switches were recorded
                parts.insert(2, "0")
            tid, ticks, cs, name = parts
            t[tid] = (int(ticks), name, int(cs))
    return ms, hz, t


def delta(i, a, b):
    """Per-thread CPU seconds from snapshot a to b (threads born in between count from 0) and the wall seconds."""
    ms0, hz, t0 = tasks(i, a)
    ms1, _, t1 = tasks(i, b)
    d = {tid: ((ticks - t0.get(tid, (0, "", 0))[0]) / hz, name) for tid, (ticks, name, _) in t1.items()}
    return d, (ms1 - ms0) / 1000


def switches(i, a, b):
    """Per-thread context switches (voluntary + involuntary) from snapshot a to b: {tid: (count, name)}."""
    t0, t1 = tasks(i, a)[2], tasks(i, b)[2]
    return {tid: (cs - t0.get(tid, (0, "", 0))[2], name) for tid, (_, name, cs) in t1.items()}


def gc(i, tag):
    try:
        with open(f"{out}/n{i}-gc-{tag}.txt") as f:
            head, vals = f.read().split("\n")[:2]
        return dict(zip(head.split(), vals.split()))
    except (OSError, ValueError):
        return {}


# --- the areas: first rule that matches the stack (root first) or its thread name wins -------------------------
# Thread-name rules come first: a JVM thread is its own area whatever it runs.
THREAD_AREAS = [
    ("GC / VM threads", re.compile(r"^(GC Thread|G1 |VM Thread|VM Periodic|Concurrent|Service Thread|Common-Cleaner)")),
    ("JIT compiler threads", re.compile(r"^(C2 CompilerThre|C1 CompilerThre|Sweeper)")),
]
STACK_AREAS = [
    ("Ratis log worker (write + fsync)", re.compile(r"SegmentedRaftLogWorker|RaftLogWorker")),
    ("State machine apply", re.compile(r"StateMachineUpdater|applyTransaction")),
    ("Ratis log appender / heartbeats", re.compile(r"LogAppender|GrpcLogAppender|HeartbeatMonitor|FollowerState|LeaderStateImpl")),
    ("Ratis gRPC/Netty (shaded)", re.compile(r"org/apache/ratis/thirdparty/io/(netty|grpc)|org/apache/ratis/grpc")),
    ("Front-end gRPC/Netty", re.compile(r"io/grpc/netty/shaded|io/grpc/")),
    ("RocksDB (other callers)", re.compile(r"org/rocksdb|librocksdbjni")),
    ("Ratis other", re.compile(r"org/apache/ratis")),
    ("Partita other", re.compile(r"io/partita")),
]
# Cross-cutting: inclusive share of the stacks that contain it anywhere (they overlap; no total).
CROSS = [
    ("RocksDB (JNI + native)", r"org/rocksdb|librocksdbjni|rocksdb::"),
    ("protobuf (both copies)", r"com/google/protobuf|thirdparty/com/google/protobuf"),
    ("LZ4", r"lz4|LZ4"),
    ("metrics (dropwizard / Ratis / Partita)", r"com/codahale/metrics|io/dropwizard|org/apache/ratis/metrics|io/partita/[a-z/]*metrics|io/prometheus"),
    ("logging (logback / slf4j)", r"ch/qos/logback|org/slf4j"),
    ("fsync / fdatasync / force", r"fsync|fdatasync|FileDispatcherImpl\.force|FileChannelImpl\.force"),
    ("futex (kernel)", r"futex"),
    ("park / unpark (LockSupport, Unsafe)", r"LockSupport\.(park|unpark)|Unsafe\.(park|unpark)|Parker::"),
    ("going to sleep: park / Object.wait / epoll_wait", r"Unsafe\.park|Object\.wait|Native\.epollWait|epoll_wait|futex_wait|__futex_abstimed_wait|pthread_cond_(timed)?wait"),
    ("waking a thread: unpark / signal / eventfd", r"Unsafe\.unpark|Unsafe_Unpark|futex_wake|pthread_cond_signal|eventfd_write|try_to_wake_up"),
    ("kernel (leaf frame in the kernel)", r"_\[k\]$"),
    ("socket send/recv + epoll (kernel)", r"sendmsg|sendto|recvfrom|recvmsg|epoll_wait|epoll_ctl|tcp_|sock_(read|write)"),
    ("CompletableFuture plumbing", r"java/util/concurrent/CompletableFuture"),
    ("thread pool hand-off (ThreadPoolExecutor / ForkJoin)", r"ThreadPoolExecutor\.execute|ForkJoinPool\.(signalWork|externalPush)|SerializingExecutor\.execute"),
    ("allocation / GC from Java (TLAB refill, slow path)", r"OptoRuntime::new|MemAllocator|TLAB|CollectedHeap::"),
    ("JNI transitions / safepoint poll", r"SafepointMechanism|ThreadStateTransition|JavaThread::check_special"),
]


def classify(thread, stack):
    for area, rx in THREAD_AREAS:
        if rx.search(thread):
            return area
    s = ";".join(stack)
    for area, rx in STACK_AREAS:
        if rx.search(s) or rx.search(thread):
            return area
    return "other (JVM, kernel, unknown)"


def read_collapsed(i):
    path = f"{out}/n{i}.collapsed"
    samples = []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            stack, _, n = line.rpartition(" ")
            frames = stack.split(";")
            thread = frames[0]
            m = re.match(r"^\[(.*?)(?: tid=\d+)?\]$", thread)
            if m:
                thread, frames = m.group(1), frames[1:]
            else:
                thread = "?"
            samples.append((thread, frames, int(n)))
    return samples


def short(frame):
    return frame.replace("org/apache/ratis/thirdparty/", "ratis-shaded:").replace("/", ".")


run = json.load(open(f"{out}/bench-run.json"))
ops_per_s = run["operations"]["total"]["ops-per-second"]
event = open(f"{out}/event.txt").read().strip() if os.path.exists(f"{out}/event.txt") else "?"
print(f"workload {run['parameters'].get('mix', '?')}: {ops_per_s:,.0f} ops/s over the recorded run; "
      f"server CPU {run['cost']['server']['cpu-us-per-op']:,.0f} us/op, "
      f"{run['cost']['server']['context-switches-per-op']:.1f} cs/op (bench's own /proc figures)")

area_us = defaultdict(lambda: Counter())        # node -> area -> us/op
cross_us = defaultdict(lambda: Counter())
self_us = Counter()
incl_us = Counter()
path_us = Counter()
thread_us = defaultdict(lambda: Counter())
thread_cs = defaultdict(lambda: Counter())       # context switches per op by thread group
sampled_thread_us = defaultdict(lambda: Counter())   # full Java thread names (the /proc ones stop at 15 chars)
total_cpu = 0.0
window_ops = 0.0
for i in nodes():
    d, wall = delta(i, "begin", "end")
    cpu = sum(c for c, _ in d.values())
    ops = ops_per_s * wall
    total_cpu += cpu
    window_ops = ops
    for c, name in d.values():
        thread_us[i][group(name)] += c * 1e6 / ops
    for c, name in switches(i, "begin", "end").values():
        # /proc names stop at 15 characters, which cuts Ratis's group ids: fold them.
        thread_cs[i][re.sub(r"@group-.*", "@group-*", group(name))] += c / ops
    if not os.path.exists(f"{out}/n{i}.collapsed"):
        continue
    samples = read_collapsed(i)
    n_total = sum(n for _, _, n in samples) or 1
    us_per_sample = cpu * 1e6 / ops / n_total   # samples scaled to the node's measured CPU in the window
    print(f"node {i}: {cpu:.1f} CPU s in {wall:.1f} s ({100 * cpu / wall:.0f}% of a core), {n_total} samples "
          f"({event}), {cpu * 1e6 / ops:,.0f} us/op")
    for thread, frames, n in samples:
        us = n * us_per_sample
        area_us[i][classify(thread, frames)] += us
        sampled_thread_us[i][group(thread)] += us
        s = ";".join(frames)
        for name, rx in CROSS:
            if re.search(rx, s):
                cross_us[i][name] += us
        if frames:
            self_us[short(frames[-1])] += us
        for f in set(frames):
            incl_us[short(f)] += us
        # A call path: the last five frames above the leaf's library boundary, leaf included.
        path_us[" <- ".join(short(f) for f in reversed(frames[-5:]))] += us

ops = window_ops
node_ids = list(nodes())
print(f"\nall nodes: {total_cpu:.1f} CPU s in the window, {total_cpu * 1e6 / ops:,.0f} us/op "
      f"(ops in the window estimated as the run's ops/s x the window)\n")
if area_us:
    jit_us = sum(area_us[i]["JIT compiler threads"] for i in node_ids)
    print(f"without the JIT compiler threads: {total_cpu * 1e6 / ops - jit_us:,.0f} us/op\n")


def table(title, per_node, total_label="all", fmt=",.0f"):
    keys = Counter()
    for i in node_ids:
        keys.update(per_node[i])
    print(f"{title:<58}" + "".join(f" {'n' + str(i):>8}" for i in node_ids) + f" {total_label:>8} {'share':>6}")
    grand = sum(keys.values()) or 1
    for k, v in keys.most_common():
        if v < grand / 2000:
            break  # below 0.05%: idle threads
        print(f"  {k[:56]:<56}" + "".join(f" {per_node[i][k]:>8{fmt}}" for i in node_ids) + f" {v:>8{fmt}} "
              f"{100 * v / grand:>5.1f}%")
    print()


if area_us:
    table("CPU by area, us/op (exclusive, first rule wins)", area_us)
    print("cross-cutting, us/op (inclusive: a stack counts in every line it matches)")
    keys = Counter()
    for i in node_ids:
        keys.update(cross_us[i])
    all_us = sum(sum(a.values()) for a in area_us.values()) or 1
    for k, v in keys.most_common():
        print(f"  {k[:56]:<56}" + "".join(f" {cross_us[i][k]:>8,.0f}" for i in node_ids) + f" {v:>8,.0f} "
              f"{100 * v / all_us:>5.1f}%")
    print()

table("CPU by thread group (/proc, names cut at 15 chars), us/op", thread_us)
if any(sum(c.values()) for c in thread_cs.values()):
    table("context switches per op by thread group (/proc)", thread_cs, fmt=".1f")
if sampled_thread_us:
    table("CPU by thread group (profile samples, full names), us/op", sampled_thread_us)

# JIT: compiler threads' share of the node CPU during the load, and in the window.
print("JIT compiler threads' share of node CPU:")
for i in node_ids:
    parts = []
    for a, b, label in (("start", "loaded", "load"), ("loaded", "begin", "warm-up"), ("begin", "end", "window")):
        try:
            d, wall = delta(i, a, b)
        except OSError:
            continue
        cpu = sum(c for c, _ in d.values()) or 1e-9
        jit = sum(c for c, n in d.values() if n.startswith(("C1 Compiler", "C2 Compiler")))
        gcs = sum(c for c, n in d.values() if n.startswith(("GC Thread", "G1 ", "VM Thread")))
        parts.append(f"{label} {100 * jit / cpu:.1f}% JIT, {100 * gcs / cpu:.1f}% GC/VM threads ({cpu:.1f} CPU s, {wall:.0f} s)")
    print(f"  n{i}: " + "; ".join(parts))
print("\nGC in the window (jstat -gcutil deltas):")
for i in node_ids:
    a, b = gc(i, "begin"), gc(i, "end")
    if a and b:
        dy = int(b["YGC"]) - int(a["YGC"])
        dt = float(b["YGCT"]) - float(a["YGCT"])
        wall = delta(i, "begin", "end")[1]
        print(f"  n{i}: {dy} young GCs ({dy / wall:.2f}/s, {1000 * dt / max(dy, 1):.1f} ms each, "
              f"{1000 * dt / wall:.1f} ms/s), {int(b['FGC']) - int(a['FGC'])} full, old {b.get('O', '?')}%")

if self_us:
    print(f"\ntop {top_n} self-time frames, us/op summed over the nodes")
    for k, v in self_us.most_common(top_n):
        print(f"  {v:>7,.0f}  {k[:150]}")
    print(f"\ntop {top_n} inclusive frames in io.partita / org.apache.ratis / org.rocksdb, us/op")
    own = [(k, v) for k, v in incl_us.items() if k.startswith(("io.partita", "org.apache.ratis.", "org.rocksdb"))
           and not k.startswith("org.apache.ratis.thirdparty")]
    for k, v in sorted(own, key=lambda kv: -kv[1])[:top_n]:
        print(f"  {v:>7,.0f}  {k[:150]}")
    print(f"\ntop {top_n} leaf call paths (leaf <- 4 callers), us/op")
    for k, v in path_us.most_common(top_n):
        print(f"  {v:>7,.0f}  {k[:260]}")
