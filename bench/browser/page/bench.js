// Browser benchmark of the users CSV validation: the console's own worker
// (dist/csv_worker_loader.js) against Papa Parse with the same checks in
// JavaScript (papa_worker.js). Both run in a worker and get the file as a
// transferred ArrayBuffer. The page stores the result in window.benchResult
// and in #result for the driver (bench.py) to read.
"use strict";

const params = new URLSearchParams(location.search);
const RUNS = Number(params.get("runs") ?? "5");
const CSV_URL = params.get("csv") ?? "/users.csv";

// Long tasks of the page's main thread (50 ms or more, as Chromium reports
// them), with the largest gap between two ticks of a zero-delay timer loop
// as a finer measure of how long the thread was busy.
const longTasks = [];
new PerformanceObserver((list) => longTasks.push(...list.getEntries()))
  .observe({ type: "longtask", buffered: true });

function startTickMonitor() {
  let last = performance.now();
  let maxGap = 0;
  let running = true;
  const tick = () => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
    if (running) setTimeout(tick, 0);
  };
  setTimeout(tick, 0);
  return () => {
    running = false;
    return maxGap;
  };
}

function nextMessage(worker, accept) {
  return new Promise((resolve, reject) => {
    const onMessage = (event) => {
      if (!accept(event.data)) return;
      worker.removeEventListener("message", onMessage);
      resolve(event.data);
    };
    worker.addEventListener("message", onMessage);
    worker.addEventListener("error", (event) => reject(new Error(event.message || "worker failed")),
      { once: true });
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

// Runs `validateOnce` once in a fresh worker, timed as the first run, and
// then RUNS more times. Returns the timings with the main thread's busiest
// moments during the RUNS later runs. The first run shows what a person's
// first file costs: the browser compiles wasm and JavaScript with a quick
// baseline compiler first and optimizes hot functions while they run.
async function measure(name, start, validateOnce, file) {
  const startedAt = performance.now();
  const worker = start();
  await nextMessage(worker, (data) => data.kind === "ready" || data.ready === true);
  const startupMs = performance.now() - startedAt;

  const firstCopy = file.slice(0);
  const firstStart = performance.now();
  await validateOnce(worker, 0, firstCopy);
  const firstRunMs = performance.now() - firstStart;
  const times = [];
  let last = null;
  let maxGapMs = 0;
  const windows = [];
  for (let run = 1; run <= RUNS; run += 1) {
    const copy = file.slice(0);
    const stopMonitor = startTickMonitor();
    const t0 = performance.now();
    last = await validateOnce(worker, run, copy);
    const t1 = performance.now();
    maxGapMs = Math.max(maxGapMs, stopMonitor());
    times.push(t1 - t0);
    windows.push([t0, t1]);
  }
  worker.terminate();
  // Let the observer deliver the entries of the last run.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const during = longTasks.filter((task) =>
    windows.some(([t0, t1]) => task.startTime < t1 && task.startTime + task.duration > t0));
  const medianMs = median(times);
  return {
    name,
    startupMs,
    firstRunMs,
    timesMs: times,
    medianMs,
    minMs: Math.min(...times),
    mbPerSecond: file.byteLength / 1e6 / (medianMs / 1000),
    longTasks: during.length,
    longestTaskMs: during.reduce((max, task) => Math.max(max, task.duration), 0),
    maxTimerGapMs: maxGapMs,
    result: last,
  };
}

async function validateWithOurs(worker, job, bytes) {
  const reply = nextMessage(worker, (data) => data.job === job &&
    (data.kind === "report" || data.kind === "failed"));
  let progressMessages = 0;
  const onProgress = (event) => {
    if (event.data.kind === "progress" && event.data.job === job) progressMessages += 1;
  };
  worker.addEventListener("message", onProgress);
  worker.postMessage({ kind: "validate", job, bytes }, [bytes]);
  const data = await reply;
  worker.removeEventListener("message", onProgress);
  if (data.kind === "failed") throw new Error(`our worker failed: ${data.message}`);
  // The page parses the digest as well, so its cost belongs to the time.
  const digest = JSON.parse(data.digest);
  const report = digest.report;
  return {
    rows: report.rows,
    validRows: report.valid_rows,
    counts: report.counts,
    kinds: digest.kinds,
    textBytes: data.text ? data.text.byteLength : null,
    digestBytes: data.digest.length,
    progressMessages,
  };
}

async function validateWithPapa(worker, job, bytes) {
  const reply = nextMessage(worker, (data) => data.job === job);
  worker.postMessage({ job, bytes }, [bytes]);
  const data = await reply;
  return { rows: data.rows, validRows: data.validRows, counts: data.counts };
}

async function main() {
  const response = await fetch(CSV_URL);
  if (!response.ok) throw new Error(`GET ${CSV_URL} returned ${response.status}`);
  const file = await response.arrayBuffer();
  const ours = await measure("gatehouse csv_worker (Rust, wasm)",
    () => new Worker("/dist/csv_worker_loader.js"), validateWithOurs, file);
  const papa = await measure(`Papa Parse ${params.get("papa") ?? ""} + JavaScript checks`.trim(),
    () => new Worker("/page/papa_worker.js"), validateWithPapa, file);
  return {
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
    fileBytes: file.byteLength,
    runs: RUNS,
    ours,
    papa,
    speedup: papa.medianMs / ours.medianMs,
  };
}

main().then(
  (result) => {
    window.benchResult = result;
    document.getElementById("status").textContent = "Done.";
    document.getElementById("result").textContent = JSON.stringify(result, null, 2);
  },
  (error) => {
    window.benchResult = { error: String(error && error.stack || error) };
    document.getElementById("status").textContent = `Failed: ${error}`;
  },
);
