// What other parts may use of processes: heartbeats, lease takeover and the list of processes.
export { startProcessHeartbeat, FORGET_PROCESSES_AFTER_MS, type ProcessHeartbeat, type TakeOverLeases } from './process-heartbeat.ts';
export { listProcesses, type ListedProcess, type ProcessInfo, type ProcessState } from './processes.repository.ts';
export { newProcessId, SENDTRAIL_VERSION } from './process-identity.ts';
