// CPU time and peak memory of a process and all its descendants, read from /proc (Linux only).
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

let clkTck = 0
/** Clock ticks per second for /proc/<pid>/stat times (`getconf CLK_TCK`, almost always 100). */
export function clockTicks(): number {
  if (clkTck === 0) {
    try {
      clkTck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
    } catch {
      clkTck = 100
    }
  }
  return clkTck
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined // the process or thread exited meanwhile
  }
}

/** Fields of /proc/<pid>/stat after the `(comm)` field; index 0 is field 3 (state). */
function statFields(pid: number): string[] | undefined {
  const stat = read(`/proc/${pid}/stat`)
  if (stat === undefined) return undefined
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
}

/** The pid and every live descendant of it. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const fields = statFields(Number(name))
    if (fields === undefined) continue
    const ppid = Number(fields[1])
    const list = children.get(ppid)
    if (list) list.push(Number(name))
    else children.set(ppid, [Number(name)])
  }
  const tree: number[] = []
  const queue = [root]
  while (queue.length > 0 && tree.length < 10_000) {
    const pid = queue.shift() as number
    tree.push(pid)
    queue.push(...(children.get(pid) ?? []))
  }
  return tree
}

export interface CpuSample {
  /** utime + stime of the tree, in microseconds (resolution one clock tick, usually 10 ms). */
  tickUs: number
  /** Sum of on-CPU time of every thread of the tree from /proc/<pid>/task/<tid>/schedstat, in µs (ns resolution). */
  schedUs: number
}

/** Cumulative CPU time of a process tree. */
export function cpuOf(root: number): CpuSample {
  return cpuOfPids(processTree(root))
}

/** Cumulative CPU time of the given processes (all their threads). */
export function cpuOfPids(pids: number[]): CpuSample {
  let ticks = 0
  let schedNs = 0
  for (const pid of pids) {
    const fields = statFields(pid)
    if (fields === undefined) continue
    ticks += Number(fields[11]) + Number(fields[12]) // fields 14 (utime) and 15 (stime)
    let tasks: string[] = []
    try {
      tasks = readdirSync(`/proc/${pid}/task`)
    } catch {
      continue
    }
    for (const tid of tasks) {
      const sched = read(`/proc/${pid}/task/${tid}/schedstat`)
      if (sched !== undefined) schedNs += Number(sched.split(' ')[0])
    }
  }
  return { tickUs: (ticks * 1e6) / clockTicks(), schedUs: schedNs / 1000 }
}

/** Peak resident set size (VmHWM) of the tree, summed, in MiB. */
export function peakRssMiB(root: number): number {
  let kib = 0
  for (const pid of processTree(root)) {
    const match = /VmHWM:\s+(\d+) kB/.exec(read(`/proc/${pid}/status`) ?? '')
    if (match) kib += Number(match[1])
  }
  return kib / 1024
}

/** Whole-machine CPU time from the first line of /proc/stat, in clock ticks (all cores). */
export function machineTicks(): { busy: number; total: number } {
  const fields = (read('/proc/stat') ?? '').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number)
  const total = fields.reduce((a, b) => a + b, 0)
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0) // idle + iowait
  return { busy: total - idle, total }
}

/** Busy fraction (0..1) of the whole machine over `ms`. */
export async function machineBusyOver(ms: number): Promise<number> {
  const a = machineTicks()
  await new Promise((r) => setTimeout(r, ms))
  const b = machineTicks()
  return (b.busy - a.busy) / Math.max(1, b.total - a.total)
}

/** TCP connections in state ESTABLISHED whose local port is `port` (IPv4 and IPv6), from /proc/net/tcp{,6}. */
export function establishedOn(port: number): number {
  const hex = port.toString(16).toUpperCase().padStart(4, '0')
  let n = 0
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of (read(file) ?? '').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/)
      if (f.length > 3 && f[3] === '01' && f[1].endsWith(`:${hex}`)) n++
    }
  }
  return n
}
