// The browser's one connection to the SignalR hub /hubs/runs (RunHubContract.cs), shared by every component
// of the page. Components subscribe to server messages with on(), and join groups with joinRun()/joinRunList(),
// which are reference-counted and re-joined after a reconnect. Uses the vendored global `signalR`
// (wwwroot/lib/signalr/signalr.min.js).

const messages = ["MetricsAppended", "RolloutsAppended", "RunUpdated", "RunDeleted", "ExportUpdated"];
const listeners = new Map(messages.map(m => [m, new Set()]));
const reconnectListeners = new Set();
const runGroups = new Map(); // runId → reference count
let runListCount = 0;
let connection = null;
let connected = null;

/** Starts the connection once; resolves when it is up (retrying every 2 s until it is). */
export function connect() {
    if (connected) return connected;
    connection = new signalR.HubConnectionBuilder()
        .withUrl(new URL("hubs/runs", document.baseURI).toString())
        .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => Math.min(1000 * (ctx.previousRetryCount + 1), 5000) })
        .configureLogging(signalR.LogLevel.Warning)
        .build();
    for (const name of messages) {
        connection.on(name, (...args) => {
            for (const listener of listeners.get(name)) {
                try { listener(...args); } catch (e) { console.error(`RL Studio: ${name} listener failed`, e); }
            }
        });
    }
    connection.onreconnected(async () => {
        await rejoin();
        for (const listener of reconnectListeners) {
            try { listener(); } catch (e) { console.error("RL Studio: reconnect listener failed", e); }
        }
    });
    connection.onclose(() => { connected = null; document.body.removeAttribute("data-live"); });
    connected = startWithRetry();
    return connected;
}

async function startWithRetry() {
    for (;;) {
        try {
            await connection.start();
            document.body.setAttribute("data-live", "true");
            return;
        } catch (e) {
            console.warn("RL Studio: hub connection failed, retrying in 2 s", e);
            await new Promise(resolve => setTimeout(resolve, 2000));
        }
    }
}

async function rejoin() {
    const joins = [...runGroups.keys()].map(id => connection.invoke("JoinRun", id));
    if (runListCount > 0) joins.push(connection.invoke("JoinRunList"));
    await Promise.allSettled(joins);
}

// A .NET callback that fails (e.g. its component is gone) must not become an unhandled rejection.
function call(dotnet, method, ...args) {
    dotnet.invokeMethodAsync(method, ...args).catch(e => console.debug(`RL Studio: ${method} not delivered`, e));
}

/** Test hook: marks <body data-interactive="true"> (called by MainLayout once the circuit and the hub are up). */
export function markInteractive() {
    document.body.setAttribute("data-interactive", "true");
}

/** Subscribes to a server message; returns the function that unsubscribes. */
export function on(message, listener) {
    listeners.get(message).add(listener);
    return () => listeners.get(message).delete(listener);
}

/** Calls listener after each reconnect (deltas sent while disconnected are lost: refetch). Returns the unsubscriber. */
export function onReconnected(listener) {
    reconnectListeners.add(listener);
    return () => reconnectListeners.delete(listener);
}

export async function joinRun(runId) {
    await connect();
    const count = runGroups.get(runId) ?? 0;
    runGroups.set(runId, count + 1);
    if (count === 0) await connection.invoke("JoinRun", runId);
}

export async function leaveRun(runId) {
    const count = runGroups.get(runId) ?? 0;
    if (count <= 1) {
        runGroups.delete(runId);
        if (count === 1 && connection?.state === signalR.HubConnectionState.Connected) {
            await connection.invoke("LeaveRun", runId);
        }
    } else {
        runGroups.set(runId, count - 1);
    }
}

/** Joins the run-list group (every run's RunUpdated). The hub has no LeaveRunList: the count only stops re-joins. */
export async function joinRunList() {
    await connect();
    runListCount++;
    if (runListCount === 1) await connection.invoke("JoinRunList");
}

export function leaveRunList() {
    runListCount = Math.max(0, runListCount - 1);
}

/**
 * Forwards one run's RunUpdated, RolloutsAppended, ExportUpdated and RunDeleted, and reconnects, to a .NET object
 * (methods OnRunUpdated(RunSummary), OnRolloutsAppended(RolloutDto[] as JSON text), OnExportUpdated(CheckpointExportDto),
 * OnRunDeleted(), OnLiveReconnected()).
 * Returns an object whose dispose() stops it.
 */
export async function watchRun(runId, dotnet) {
    const offs = [
        on("RunUpdated", run => { if (run.id === runId) call(dotnet, "OnRunUpdated", run); }),
        // As JSON text: the hub writes NaN/Infinity as strings, which .NET reads back with named literals allowed.
        on("RolloutsAppended", (id, samples) => { if (id === runId) call(dotnet, "OnRolloutsAppended", JSON.stringify(samples)); }),
        on("ExportUpdated", exp => { if (exp.runId === runId) call(dotnet, "OnExportUpdated", exp); }),
        on("RunDeleted", id => { if (id === runId) call(dotnet, "OnRunDeleted"); }),
        onReconnected(() => call(dotnet, "OnLiveReconnected")),
    ];
    await joinRun(runId); // the run's group gets its RunUpdated too
    return {
        dispose: async () => {
            offs.forEach(off => off());
            await leaveRun(runId);
        },
    };
}

/**
 * Forwards every run's RunUpdated and RunDeleted, and reconnects, to a .NET object (OnRunUpdated(RunSummary),
 * OnRunDeleted(runId), OnLiveReconnected()).
 */
export async function watchRunList(dotnet) {
    const offs = [
        on("RunUpdated", run => call(dotnet, "OnRunUpdated", run)),
        on("RunDeleted", id => call(dotnet, "OnRunDeleted", id)),
        onReconnected(() => call(dotnet, "OnLiveReconnected")),
    ];
    await joinRunList();
    return {
        dispose: () => { offs.forEach(off => off()); leaveRunList(); },
    };
}
