// Runs validate.mjs on this repository's manifests and on manifests that
// break the schema and augur's rules, with node's test runner.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const testDirectory = dirname(fileURLToPath(import.meta.url));

function validate(...targets) {
  return spawnSync(process.execPath, [join(testDirectory, "validate.mjs"), ...targets], {
    encoding: "utf8",
  });
}

test("repository manifests are valid", () => {
  const result = validate();
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /validate: \d+ passed, 0 failed/);
  for (const kind of ["Deployment", "Service", "PersistentVolumeClaim", "ServiceAccount", "Role", "RoleBinding"]) {
    assert.match(result.stdout, new RegExp(`ok .* ${kind}/`), `no ${kind} was validated`);
  }
});

test("broken manifests are rejected with reasons", () => {
  const result = validate(join(testDirectory, "testdata/broken.yaml"));
  assert.equal(result.status, 1, result.stdout);
  assert.match(result.stdout, /readinessProbe\/grpc\/port must be integer/);
  assert.match(result.stdout, /spec.replicas must be 1/);
  assert.match(result.stdout, /strategy.type must be Recreate/);
  assert.match(result.stdout, /the Role grants pods, secrets/);
  assert.match(result.stdout, /validate: 0 passed, 2 failed/);
});
