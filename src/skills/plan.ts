/**
 * What `mpm skills install` and `uninstall` do (pure), judged by each SKILL.md's sha256 against
 * this mpm's and the manifest's.
 */
import {
  array,
  checkedJson,
  literal,
  object,
  oneOf,
  optional,
  type Out,
  record,
  string,
} from "../kernel/check.ts";
import { sha256Hex } from "../kernel/hashing/checksum.ts";
import { utcStamp } from "../kernel/ids.ts";

export const MANIFEST_FILE = ".mpm-manifest.json";
export const SKILL_FILE = "SKILL.md";

/** The folders an install may make, by name so uninstall computes each path itself. */
export const MADE_FOLDERS = ["skills", "claude"] as const;
export type MadeFolder = typeof MADE_FOLDERS[number];

/** The skills folder's `.mpm-manifest.json`: what mpm wrote there (the header says how it is read). */
export const skillsManifestCheck = object({
  schema_version: literal(1),
  /** The mpm that last changed the manifest, for people reading it. */
  mpm_version: string(),
  /** Each skill mpm wrote, by its name: the sha256 of its SKILL.md, and when it was written. */
  skills: record(
    string(),
    object({ sha256: string({ pattern: /^[0-9a-f]{64}$/ }), installed_at: string() }, "strip"),
  ),
  /** The folders install made, which were not there (MADE_FOLDERS): uninstall's to remove. */
  created: optional(array(oneOf(MADE_FOLDERS))),
}, "strip");
export type SkillsManifest = Out<typeof skillsManifestCheck>;

export function emptyManifest(version: string): SkillsManifest {
  return { schema_version: 1, mpm_version: version, skills: {} };
}

/** current, outdated (another mpm's), retired (no longer shipped), edited, foreign (not mpm's). */
export type SkillState = "missing" | "current" | "outdated" | "retired" | "edited" | "foreign";

export type SkillAction =
  | "write"
  | "update"
  | "unchanged"
  | "replace"
  | "remove"
  | "kept"
  | "none";

export interface SkillFacts {
  name: string;
  /** The SKILL.md on disk, or undefined when there is none. */
  text?: string;
}

export interface SkillStatus {
  name: string;
  state: SkillState;
  /** Whether this mpm ships a skill of this name. */
  shipped: boolean;
}

export interface SkillStep extends SkillStatus {
  action: SkillAction;
}

export interface SkillsPlan {
  steps: SkillStep[];
  /** The manifest to write afterwards; null when it should go (nothing of mpm's is left). */
  manifest: SkillsManifest | null;
  /** The folders install made that go after the manifest, each only while empty. */
  folders: MadeFolder[];
}

interface Shipped {
  name: string;
  text: string;
}

/** The shipped skills in order, then the manifest's others, sorted. */
function namesOf(shipped: readonly Shipped[], manifest: SkillsManifest): string[] {
  const names = shipped.map((skill) => skill.name);
  const older = Object.keys(manifest.skills).filter((name) => !names.includes(name)).sort();
  return [...names, ...older];
}

export function skillStates(
  shipped: readonly Shipped[],
  onDisk: readonly SkillFacts[],
  manifest: SkillsManifest,
): SkillStatus[] {
  return namesOf(shipped, manifest).map((name) => {
    const ours = shipped.find((skill) => skill.name === name);
    const text = onDisk.find((facts) => facts.name === name)?.text;
    return { name, shipped: ours !== undefined, state: judge(text, ours?.text, manifest, name) };
  });
}

function judge(
  text: string | undefined,
  ours: string | undefined,
  manifest: SkillsManifest,
  name: string,
): SkillState {
  if (text === undefined) return "missing";
  const sha = sha256Hex(text);
  if (ours !== undefined && sha === sha256Hex(ours)) return "current";
  const entry = manifest.skills[name];
  if (entry === undefined) return "foreign";
  if (sha === entry.sha256) return ours === undefined ? "retired" : "outdated";
  return "edited";
}

export interface PlanOptions {
  /** Replace skills the user edited, and ones mpm did not write, with this mpm's text. */
  force: boolean;
  now: Date;
  version: string;
  /** The folders that are not there yet, which writing the skills makes. */
  missing?: readonly MadeFolder[];
}

/** Install: writes the missing, updates the outdated, removes the retired, keeps the user's. */
export function planInstall(
  shipped: readonly Shipped[],
  statuses: readonly SkillStatus[],
  manifest: SkillsManifest,
  options: PlanOptions,
): SkillsPlan {
  const next: SkillsManifest["skills"] = {};
  const steps = statuses.map((status): SkillStep => {
    const ours = shipped.find((skill) => skill.name === status.name);
    const action = installAction(status.state, options.force);
    const previous = manifest.skills[status.name];
    if (ours !== undefined && action !== "kept") {
      next[status.name] = {
        sha256: sha256Hex(ours.text),
        installed_at: action === "unchanged" && previous
          ? previous.installed_at
          : options.now.toISOString(),
      };
    } else if (status.state === "edited" && ours !== undefined && previous) {
      // Still mpm's skill, edited: the entry stays, so a later install or doctor can say so.
      next[status.name] = previous;
    }
    return { ...status, action };
  });
  const writes = steps.some((step) => WRITING.includes(step.action));
  const created = [...manifest.created ?? [], ...writes ? options.missing ?? [] : []];
  return { steps, manifest: manifestOrNull(next, options.version, created), folders: [] };
}

/** The actions that write a SKILL.md. */
const WRITING: readonly SkillAction[] = ["write", "update", "replace"];

function installAction(state: SkillState, force: boolean): SkillAction {
  switch (state) {
    case "missing":
      return "write";
    case "current":
      return "unchanged";
    case "outdated":
      return "update";
    case "retired":
      return "remove";
    case "edited":
    case "foreign":
      return force ? "replace" : "kept";
  }
}

/** Uninstall: removes exactly what mpm wrote and nobody changed. */
export function planUninstall(
  statuses: readonly SkillStatus[],
  manifest: SkillsManifest,
  version: string,
): SkillsPlan {
  const next: SkillsManifest["skills"] = {};
  const steps = statuses.map((status): SkillStep => {
    const removable = status.state === "current" || status.state === "outdated" ||
      status.state === "retired";
    const entry = manifest.skills[status.name];
    if (status.state === "edited" && entry) next[status.name] = entry;
    const action: SkillAction = removable ? "remove" : status.state === "missing" ? "none" : "kept";
    return { ...status, action };
  });
  const after = manifestOrNull(next, version, manifest.created ?? []);
  // Once nothing of mpm's is left, the folders install made go (each only while empty).
  const made = MADE_FOLDERS.filter((folder) => manifest.created?.includes(folder));
  return { steps, manifest: after, folders: after === null ? made : [] };
}

function manifestOrNull(
  skills: SkillsManifest["skills"],
  version: string,
  created: readonly MadeFolder[],
): SkillsManifest | null {
  if (Object.keys(skills).length === 0) return null;
  const sorted = Object.fromEntries(
    Object.entries(skills).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0),
  );
  const made = MADE_FOLDERS.filter((folder) => created.includes(folder));
  return {
    schema_version: 1,
    mpm_version: version,
    skills: sorted,
    ...(made.length > 0 ? { created: made } : {}),
  };
}

export function serializeManifest(manifest: SkillsManifest): string {
  return JSON.stringify(manifest, null, 2) + "\n";
}

/** The manifest in a file's text; a damaged or unknown one reads as empty. */
export function parseManifest(text: string | undefined, version: string): SkillsManifest {
  return checkedJson(skillsManifestCheck, text) ?? emptyManifest(version);
}

/** The actions that write or remove a SKILL.md. */
const TOUCHING: readonly SkillAction[] = ["write", "update", "replace", "remove"];

/** Whether carrying out the plan would change anything on disk. */
export function planChanges(plan: SkillsPlan, manifestBefore: string | undefined): boolean {
  const touches = plan.steps.some((step) => TOUCHING.includes(step.action));
  const manifestAfter = plan.manifest === null ? undefined : serializeManifest(plan.manifest);
  return touches || manifestAfter !== manifestBefore;
}

/** The files the plan writes or removes, manifest last. */
export function plannedFiles(plan: SkillsPlan, manifestBefore: string | undefined): string[] {
  if (!planChanges(plan, manifestBefore)) return [];
  const skills = plan.steps
    .filter((step) => TOUCHING.includes(step.action))
    .map((step) => `${step.name}/${SKILL_FILE}`);
  return [...skills, MANIFEST_FILE];
}

/** `SKILL.md.20251020-143022.bak` (UTC): where `--force` keeps the copy it replaces. */
export function backupFileName(now: Date, attempt = 1): string {
  return `${SKILL_FILE}.${utcStamp(now)}${attempt > 1 ? `-${attempt}` : ""}.bak`;
}
