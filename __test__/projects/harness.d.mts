// Types of harness.mjs for __test__/projects.spec.ts.
import type { NodeRuntime } from '../../index.js'

export interface Project {
  name: string
  /** The project's source directory under __test__/projects. */
  src: string
  /** The entry file ("main" in its package.json). */
  entry: string
  /** "pass", or "fail: <reason>". */
  expected: string
  /** For a failing project: text the sandbox's stderr or stdout must contain. */
  failsWith?: string
  format: string
  layout: 'npm' | 'pnpm'
  permissions: Record<string, unknown>
  dependencies: Record<string, string>
  workspaces?: string[]
}

export interface Installed extends Project {
  /** The installed copy (real path). */
  dir: string
  entryPath: string
}

export interface Outcome {
  stdout: string
  stderr: string
  code: number | string | null
}

export const projectsDir: string
export const ENV: Readonly<Record<string, string>>
export function cacheRoot(): string
export function listProjects(): Project[]
export function installProjects(projects?: Project[], options?: { jobs?: number }): Promise<Installed[]>
export function runHost(p: Installed): Promise<Outcome>
export function runGuest(runtime: typeof NodeRuntime, p: Installed): Promise<Outcome>
