// Types of soak-load.mjs for __test__/soak.spec.ts.
import type { NodeRuntime } from '../index.js'

type Runtimes = typeof NodeRuntime
export type SidecarMode = 'dedicated' | 'shared'

export const WARM_POOL_SIZE: number
export function sleep(ms: number): Promise<void>
export function childPids(): number[]
export function openFds(): number
export function rssBytes(): number
export function pssBytes(pid: number | 'self'): number
export function treePss(): { host: number; sidecars: number; total: number; children: number }
export function collectGarbage(): void
export function settleChildren(expected: number, timeoutMs?: number): Promise<number[]>
export function oneRuntime(runtimes: Runtimes, i: number, sidecar: SidecarMode): Promise<void>
export function runLoad(
  runtimes: Runtimes,
  options: { from?: number; count: number; concurrency: number; until?: number; modes?: SidecarMode[] },
): Promise<{ done: number; errors: unknown[]; next: number }>
