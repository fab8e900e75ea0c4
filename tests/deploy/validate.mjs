// Validates augur's Kubernetes manifests offline: every object against the
// Kubernetes API's JSON schemas (the kubernetes-models package), and the
// deployment rules that augur depends on (one server owns the SQLite file,
// gRPC health probes, least-privilege RBAC).
//
// Usage: node validate.mjs [DIRECTORY_OR_FILE ...]
// Without arguments it checks deploy/kubernetes/ of this repository. The
// last line is "validate: N passed, N failed"; the exit status is 1 when
// anything failed.
//
// NOTE: the schemas allow properties they do not define, so a misspelt
// field passes here; `kubectl apply --dry-run=server` against a cluster
// catches it.

import { readFileSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const defaultTargets = [join(repositoryRoot, "deploy/kubernetes")];

// The pod verbs the dispatcher calls; the Role must grant exactly these.
const dispatcherVerbs = ["create", "delete", "get", "list", "watch"];

let passed = 0;
let failed = 0;

function report(ok, label, problems) {
  if (ok) {
    passed += 1;
    console.log(`ok   ${label}`);
  } else {
    failed += 1;
    console.log(`FAIL ${label}`);
    for (const problem of problems) console.log(`     ${problem}`);
  }
}

function manifestFiles(target) {
  if (statSync(target).isFile()) return [target];
  return readdirSync(target)
    .filter((name) => name.endsWith(".yaml") || name.endsWith(".yml"))
    .sort()
    .map((name) => join(target, name));
}

// Returns the model class of apiVersion/kind, or undefined when
// kubernetes-models has none.
async function modelClass(apiVersion, kind) {
  const modulePath = `kubernetes-models/${apiVersion}`;
  try {
    const module = await import(modulePath);
    return module[kind];
  } catch {
    return undefined;
  }
}

function checkDeployment(object) {
  const problems = [];
  const spec = object.spec ?? {};
  if (spec.replicas !== 1) {
    problems.push("spec.replicas must be 1: one augur-server owns the SQLite file");
  }
  if (spec.strategy?.type !== "Recreate") {
    problems.push("spec.strategy.type must be Recreate, so that two servers never share the volume");
  }
  const containers = spec.template?.spec?.containers ?? [];
  const server = containers.find((container) => container.name === "server");
  if (!server) {
    problems.push('the pod needs a container named "server"');
  } else {
    for (const probe of ["readinessProbe", "livenessProbe"]) {
      if (!server[probe]?.grpc) problems.push(`server.${probe} must be a grpc probe`);
    }
  }
  if (!containers.some((container) => container.name === "dispatcher")) {
    problems.push('the pod needs a container named "dispatcher"');
  }
  for (const container of containers) {
    if (!container.resources?.requests) {
      problems.push(`container ${container.name} has no resource requests`);
    }
  }
  return problems;
}

function checkRole(object) {
  const problems = [];
  const rules = object.rules ?? [];
  for (const rule of rules) {
    const resources = rule.resources ?? [];
    if (resources.some((resource) => resource !== "pods")) {
      problems.push(`the Role grants ${resources.join(", ")}; the dispatcher uses pods only`);
    }
    if ((rule.apiGroups ?? []).some((group) => group !== "")) {
      problems.push("the Role may name the core API group only");
    }
    const verbs = [...(rule.verbs ?? [])].sort();
    if (JSON.stringify(verbs) !== JSON.stringify(dispatcherVerbs)) {
      problems.push(`the Role's verbs are ${verbs.join(", ")}; expected ${dispatcherVerbs.join(", ")}`);
    }
  }
  if (rules.length === 0) problems.push("the Role has no rules");
  return problems;
}

function checkPersistentVolumeClaim(object) {
  const modes = object.spec?.accessModes ?? [];
  return modes.length === 1 && modes[0] === "ReadWriteOnce"
    ? []
    : ["accessModes must be [ReadWriteOnce]"];
}

const augurRules = {
  Deployment: checkDeployment,
  Role: checkRole,
  PersistentVolumeClaim: checkPersistentVolumeClaim,
};

// Checks that a kustomization lists files that exist, and every manifest.
function checkKustomization(object, file) {
  const directory = dirname(file);
  const listed = object.resources ?? [];
  const problems = [];
  for (const resource of listed) {
    try {
      statSync(join(directory, resource));
    } catch {
      problems.push(`resources lists ${resource}, which does not exist`);
    }
  }
  for (const manifest of manifestFiles(directory)) {
    const name = basename(manifest);
    if (name !== basename(file) && !listed.includes(name)) {
      problems.push(`resources does not list ${name}`);
    }
  }
  return problems;
}

async function validateObject(object, label, file) {
  if (object === null || typeof object !== "object") {
    report(false, label, ["the document is not a mapping"]);
    return;
  }
  if (object.kind === "Kustomization") {
    const problems = checkKustomization(object, file);
    report(problems.length === 0, label, problems);
    return;
  }

  const Model = await modelClass(object.apiVersion, object.kind);
  if (!Model) {
    report(false, label, [`unknown apiVersion/kind ${object.apiVersion}/${object.kind}`]);
    return;
  }
  const problems = [];
  try {
    new Model(object).validate();
  } catch (error) {
    problems.push(`schema: ${error.message}`);
  }
  problems.push(...(augurRules[object.kind]?.(object) ?? []));
  report(problems.length === 0, label, problems);
}

async function validateFile(file) {
  const documents = parseAllDocuments(readFileSync(file, "utf8"));
  let index = 0;
  for (const document of documents) {
    index += 1;
    const where = `${file.replace(`${repositoryRoot}/`, "")}#${index}`;
    if (document.errors.length > 0) {
      report(false, where, document.errors.map((error) => `YAML: ${error.message}`));
      continue;
    }
    const object = document.toJS();
    if (object === null || object === undefined) continue;
    const name = object?.metadata?.name ?? "(no name)";
    await validateObject(object, `${where} ${object?.kind}/${name}`, file);
  }
}

const targets = process.argv.length > 2 ? process.argv.slice(2).map((p) => resolve(p)) : defaultTargets;
for (const target of targets) {
  for (const file of manifestFiles(target)) await validateFile(file);
}
if (passed + failed === 0) {
  failed += 1;
  console.log(`FAIL no manifests found in ${targets.join(", ")}`);
}
console.log(`validate: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
