// The suite's rules on the objects of one rendered overlay (check-manifests
// runs them; deploy/k8s/README.md lists them; who may talk to whom is
// network.js). check(objects, secrets) returns {failures: [{object, rule,
// message}], counts: {rule: n}, calls: ["gateway->legislation:50052", ...]}:
// counts say how many objects each rule looked at, so that a rule which
// matched nothing shows as 0 rather than as a pass; calls are the
// connections the pods' flags make, which the policies must allow.
"use strict";

const {
  WORKLOAD_KINDS, LONG_RUNNING, id, nsOf, podSpec, podLabels, containersOf, selects, mapSelects, argValue,
} = require("./objects.js");
const { checkNetwork } = require("./network.js");

const HEALTH_PORT = 50060;       // --health_listen in every server image
const SUITE_UID = 10001;         // the images' user and group
const SHUTDOWN_GRACE_S = 10;     // the servers' --shutdown_grace default
const GATEWAY = "gateway";       // the one workload with an ordinary Service
const GATEWAY_PORT = 50051;
const LIVENESS_SERVICE = "palermo.liveness";  // SERVING while the process runs
// The suite's gRPC servers (probes on HEALTH_PORT, a store); its other
// images are the loader's (palermo/load) and the database's.
const SERVER_IMAGES = ["gateway", "legislation", "enforcement", "assistance", "coordination", "reporting"]
  .map((s) => `palermo/${s}`);
const DATABASE_IMAGE = "palermo/postgres";  // docker/postgres/
const DATABASE_PASSWORD_FILE = "/run/secrets/postgres_password";  // its entrypoint's default

const isSuiteImage = (image) => /^palermo\//.test(image || "");
const imageName = (image) => parseImage(image || "").name;
const isServerImage = (image) => SERVER_IMAGES.includes(imageName(image));
const isDatabaseImage = (image) => imageName(image) === DATABASE_IMAGE;

// image -> {name, tag, digest}
function parseImage(image) {
  const [ref, digest] = image.split("@");
  const slash = ref.lastIndexOf("/");
  const colon = ref.lastIndexOf(":");
  return colon > slash
    ? { name: ref.slice(0, colon), tag: ref.slice(colon + 1), digest }
    : { name: ref, tag: undefined, digest };
}

// A libpq DSN (conninfo or URI) that carries a password.
const dsnHasPassword = (dsn) => /(^|\s)password\s*=/i.test(dsn) || /[?&]password=/i.test(dsn) ||
  /^postgres(ql)?:\/\/[^/@?]*:[^/@?]*@/i.test(dsn);

function check(objects, secrets) {
  const failures = [];
  const counts = {};
  const fail = (o, rule, message) => failures.push({ object: id(o), rule, message });
  const count = (rule) => { counts[rule] = (counts[rule] || 0) + 1; };

  const byKind = (k) => objects.filter((o) => o.kind === k);
  const workloads = objects.filter((o) => WORKLOAD_KINDS.includes(o.kind));
  const services = byKind("Service");
  const policies = byKind("NetworkPolicy");
  const budgets = byKind("PodDisruptionBudget");
  const accounts = byKind("ServiceAccount");
  const secretKeys = new Map(secrets.map((s) => [s.metadata.name, Object.keys({ ...s.data, ...s.stringData })]));

  // No key in a rendered overlay: Secrets are referenced by name only.
  for (const s of byKind("Secret")) {
    fail(s, "no-secrets", "a Secret is rendered: keys must stay out of the manifests (deploy/k8s/make-secrets makes them)");
  }
  count("no-secrets");

  // Every ServiceAccount mounts no API token.
  for (const a of accounts) {
    count("service-accounts");
    if (a.automountServiceAccountToken !== false) fail(a, "service-accounts", "automountServiceAccountToken is not false");
  }

  // One default-deny policy over the namespace, both directions.
  count("network-policies");
  const denyAll = policies.find((p) => p.spec && p.spec.podSelector && Object.keys(p.spec.podSelector).length === 0 &&
    (p.spec.policyTypes || []).includes("Ingress") && (p.spec.policyTypes || []).includes("Egress") &&
    !(p.spec.ingress || []).length && !(p.spec.egress || []).length);
  if (!denyAll) {
    failures.push({ object: "NetworkPolicy/*", rule: "network-policies", message: "no default-deny policy (podSelector {}, policyTypes Ingress and Egress, no rules)" });
  }

  const suiteTags = new Map();  // tag -> first image carrying it

  for (const w of workloads) {
    const spec = podSpec(w);
    const labels = podLabels(w);
    const containers = containersOf(spec);
    const longRunning = LONG_RUNNING.includes(w.kind);
    const suite = containers.some((c) => isSuiteImage(c.image));
    const server = containers.some((c) => isServerImage(c.image));
    const psc = spec.securityContext || {};

    // --- security context, pod and containers
    count("security-context");
    if (psc.runAsNonRoot !== true) fail(w, "security-context", "pod securityContext.runAsNonRoot is not true");
    if (!psc.seccompProfile || psc.seccompProfile.type !== "RuntimeDefault") {
      fail(w, "security-context", "pod securityContext.seccompProfile.type is not RuntimeDefault");
    }
    for (const f of ["runAsUser", "runAsGroup"]) {
      if (!Number.isInteger(psc[f]) || psc[f] === 0) fail(w, "security-context", `pod securityContext.${f} is not a non-zero uid/gid`);
      else if (suite && psc[f] !== SUITE_UID) fail(w, "security-context", `pod securityContext.${f} is ${psc[f]}, not the images' ${SUITE_UID}`);
    }
    for (const field of ["hostNetwork", "hostPID", "hostIPC"]) if (spec[field]) fail(w, "security-context", `pod sets ${field}`);
    for (const v of spec.volumes || []) if (v.hostPath) fail(w, "security-context", `volume ${v.name} is a hostPath`);
    if (spec.automountServiceAccountToken !== false) fail(w, "security-context", "pod automountServiceAccountToken is not false");
    if (!spec.serviceAccountName || spec.serviceAccountName === "default") {
      fail(w, "security-context", "pod runs as the namespace's default ServiceAccount");
    } else if (!accounts.some((a) => a.metadata.name === spec.serviceAccountName && nsOf(a) === nsOf(w))) {
      fail(w, "security-context", `ServiceAccount ${spec.serviceAccountName} is not rendered`);
    }
    for (const c of containers) {
      const sc = c.securityContext || {};
      const where = `container ${c.name}`;
      const eff = (f) => (sc[f] !== undefined ? sc[f] : psc[f]);
      if (eff("runAsNonRoot") !== true) fail(w, "security-context", `${where}: runAsNonRoot is not true`);
      if (sc.readOnlyRootFilesystem !== true) fail(w, "security-context", `${where}: securityContext.readOnlyRootFilesystem is not true`);
      if (sc.allowPrivilegeEscalation !== false) fail(w, "security-context", `${where}: securityContext.allowPrivilegeEscalation is not false`);
      if (sc.privileged) fail(w, "security-context", `${where}: securityContext.privileged is true`);
      const caps = sc.capabilities || {};
      if (!(caps.drop || []).includes("ALL")) fail(w, "security-context", `${where}: securityContext.capabilities.drop does not hold ALL`);
      if ((caps.add || []).length) fail(w, "security-context", `${where}: securityContext.capabilities.add is not empty`);
      const seccomp = eff("seccompProfile");
      if (!seccomp || seccomp.type !== "RuntimeDefault") fail(w, "security-context", `${where}: seccompProfile is not RuntimeDefault`);
      for (const f of ["runAsUser", "runAsGroup"]) {
        const v = eff(f);
        if (!Number.isInteger(v) || v === 0) fail(w, "security-context", `${where}: ${f} is not a non-zero uid/gid`);
        else if (isSuiteImage(c.image) && v !== SUITE_UID) fail(w, "security-context", `${where}: ${f} is ${v}, not the images' ${SUITE_UID}`);
      }
    }

    // --- a tmpfs at /tmp in every container
    count("tmp");
    for (const c of containers) {
      const m = (c.volumeMounts || []).find((vm) => vm.mountPath === "/tmp");
      const v = m && (spec.volumes || []).find((x) => x.name === m.name);
      if (!v || !v.emptyDir || v.emptyDir.medium !== "Memory") {
        fail(w, "tmp", `container ${c.name}: /tmp is not an emptyDir of medium Memory`);
      }
    }

    // --- requests and limits
    count("resources");
    for (const c of containers) {
      const r = c.resources || {};
      for (const kind of ["requests", "limits"]) {
        for (const res of ["cpu", "memory"]) {
          if (!r[kind] || r[kind][res] === undefined) fail(w, "resources", `container ${c.name}: no resources.${kind}.${res}`);
        }
      }
    }

    // --- images: the suite's own (docker/build-images: no registry is
    // needed), a tag or digest, never latest, pulled if absent
    count("images");
    for (const c of containers) {
      if (!c.image) { fail(w, "images", `container ${c.name}: no image`); continue; }
      const img = parseImage(c.image);
      if (!isSuiteImage(c.image)) fail(w, "images", `container ${c.name}: image ${c.image} is not one of the suite's (palermo/..., docker/build-images)`);
      if (!img.tag && !img.digest) fail(w, "images", `container ${c.name}: image ${c.image} has no tag`);
      if (img.tag === "latest") fail(w, "images", `container ${c.name}: image ${c.image} is tagged latest`);
      if (c.imagePullPolicy !== "IfNotPresent") fail(w, "images", `container ${c.name}: imagePullPolicy is ${c.imagePullPolicy || "unset"}, not IfNotPresent`);
      if (isSuiteImage(c.image) && img.tag && !suiteTags.has(img.tag)) suiteTags.set(img.tag, `${id(w)} ${c.image}`);
    }

    // --- probes on every long-running container; gRPC health on the suite's
    if (longRunning) {
      count("probes");
      for (const c of spec.containers || []) {
        for (const p of ["readinessProbe", "livenessProbe"]) {
          if (!c[p]) { fail(w, "probes", `container ${c.name} has no ${p}`); continue; }
          if (isServerImage(c.image) && !(c[p].grpc && c[p].grpc.port === HEALTH_PORT)) {
            fail(w, "probes", `container ${c.name}: ${p} is not a gRPC probe of port ${HEALTH_PORT}`);
          }
        }
        if (isServerImage(c.image)) {
          if (c.startupProbe && !(c.startupProbe.grpc && c.startupProbe.grpc.port === HEALTH_PORT)) {
            fail(w, "probes", `container ${c.name}: startupProbe is not a gRPC probe of port ${HEALTH_PORT}`);
          }
          // Liveness asks palermo.liveness, SERVING from start to shutdown
          // whatever the store does; readiness and startup ask "", which
          // follows the store: a database outage takes pods out of their
          // Services without restarting every one of them.
          const service = (p) => (c[p] && c[p].grpc && c[p].grpc.service) || "";
          if (c.livenessProbe && service("livenessProbe") !== LIVENESS_SERVICE) {
            fail(w, "probes", `container ${c.name}: livenessProbe asks the health of service "${service("livenessProbe")}", not ${LIVENESS_SERVICE} (the store's health would restart every pod during a database outage)`);
          }
          for (const p of ["readinessProbe", "startupProbe"]) {
            if (c[p] && service(p) !== "") {
              fail(w, "probes", `container ${c.name}: ${p} asks the health of service "${service(p)}", not "" (the server's, which follows its store)`);
            }
          }
          if (!(c.ports || []).some((p) => p.containerPort === HEALTH_PORT)) {
            fail(w, "probes", `container ${c.name} declares no containerPort ${HEALTH_PORT}`);
          }
        }
      }
      if (server && !((spec.terminationGracePeriodSeconds || 30) > SHUTDOWN_GRACE_S)) {
        fail(w, "probes", `terminationGracePeriodSeconds ${spec.terminationGracePeriodSeconds} is not above --shutdown_grace (${SHUTDOWN_GRACE_S}s)`);
      }
    }

    // --- a PodDisruptionBudget that never blocks a drain
    if (longRunning) {
      count("disruption-budgets");
      const mine = budgets.filter((b) => nsOf(b) === nsOf(w) && selects(b.spec.selector, labels));
      const replicas = w.spec.replicas === undefined ? 1 : w.spec.replicas;
      if (mine.length !== 1) {
        fail(w, "disruption-budgets", `${mine.length} PodDisruptionBudgets select its pods, not 1`);
      } else {
        const b = mine[0].spec;
        const pct = (v, n) => Math.floor((parseInt(v, 10) * n) / 100);  // of maxUnavailable: rounded down by the API
        const evictable = b.maxUnavailable !== undefined
          ? (typeof b.maxUnavailable === "string" ? Math.max(pct(b.maxUnavailable, replicas), 0) : b.maxUnavailable)
          : replicas - (typeof b.minAvailable === "string" ? Math.ceil((parseInt(b.minAvailable, 10) * replicas) / 100) : b.minAvailable || 0);
        if (evictable < 1) {
          fail(w, "disruption-budgets", `PodDisruptionBudget/${mine[0].metadata.name} lets no pod of its ${replicas} be evicted: it blocks node drains`);
        }
      }
    }

    // --- Services: a headless one per backend, the gateway's ordinary
    if (longRunning) {
      count("services");
      const mine = services.filter((s) => nsOf(s) === nsOf(w) && mapSelects(s.spec.selector, labels));
      const name = w.metadata.name;
      if (name === GATEWAY) {
        if (!mine.some((s) => s.spec.clusterIP !== "None" && (s.spec.ports || []).some((p) => p.port === GATEWAY_PORT))) {
          fail(w, "services", `no Service with a cluster address serves port ${GATEWAY_PORT}`);
        }
      } else if (!mine.some((s) => s.spec.clusterIP === "None")) {
        fail(w, "services", "no headless Service (clusterIP: None) selects its pods");
      }
      const ports = (spec.containers || []).flatMap((c) => c.ports || []);
      for (const s of mine) {
        for (const p of s.spec.ports || []) {
          const target = p.targetPort === undefined ? p.port : p.targetPort;
          if (!ports.some((cp) => cp.name === target || cp.containerPort === target)) {
            fail(w, "services", `Service/${s.metadata.name} port ${p.port} targets ${target}, which no container declares`);
          }
        }
      }
      if (w.kind === "StatefulSet" && w.spec.serviceName &&
          !services.some((s) => s.metadata.name === w.spec.serviceName && nsOf(s) === nsOf(w))) {
        fail(w, "services", `serviceName ${w.spec.serviceName} is not a rendered Service`);
      }
    }

    // --- NetworkPolicies: its own (what they allow: network.js, below)
    count("network-policies");
    const own = policies.filter((p) => nsOf(p) === nsOf(w) && p.spec.podSelector &&
      Object.keys(p.spec.podSelector).length > 0 && selects(p.spec.podSelector, labels));
    if (!own.length) {
      fail(w, "network-policies", "no NetworkPolicy selects its pods (beyond the namespace-wide ones)");
    }

    // --- state: SQLite on a claim of the StatefulSet; PostgreSQL at a DSN
    // without a password, the password in PGPASSWORD from a Secret
    for (const c of spec.containers || []) {
      if (!isServerImage(c.image) || !longRunning) continue;
      count("store");
      const store = argValue(c.args, "store") || "sqlite";
      const dsn = argValue(c.args, "postgres_dsn");
      const onSqlite = store !== "postgres" || w.metadata.name === GATEWAY;  // the gateway's audit log is SQLite
      if (onSqlite) {
        const m = (c.volumeMounts || []).find((vm) => vm.mountPath === "/data");
        const claimed = w.kind === "StatefulSet" && m &&
          (w.spec.volumeClaimTemplates || []).some((t) => t.metadata.name === m.name);
        if (!claimed) fail(w, "store", `container ${c.name} keeps SQLite files in /data, which is not a volumeClaimTemplate of a StatefulSet`);
      }
      if (store === "postgres") {
        if (!dsn) {
          fail(w, "store", `container ${c.name}: --store=postgres without --postgres_dsn`);
        }
        // Every one, not only the last that absl takes: all are in the arguments.
        if ((c.args || []).some((a) => a.startsWith("--postgres_dsn=") && dsnHasPassword(a.slice("--postgres_dsn=".length)))) {
          fail(w, "store", `container ${c.name}: --postgres_dsn holds a password (it belongs in PGPASSWORD, from a Secret)`);
        }
        const pw = (c.env || []).filter((e) => e.name === "PGPASSWORD");
        const ref = pw.length === 1 && pw[0].valueFrom && pw[0].valueFrom.secretKeyRef;
        if (!ref) fail(w, "store", `container ${c.name}: PGPASSWORD is not one environment variable from a Secret (secretKeyRef)`);
      }
    }

    // --- the database (palermo/postgres): its contract
    // (docker/postgres/entrypoint): PGDATA below its claim, the password
    // as a file of a Secret readable by its group only, writable only
    // the claim and /tmp; pg_isready probes, a fast stop of that PGDATA
    for (const c of spec.containers || []) {
      if (!isDatabaseImage(c.image)) continue;
      count("database");
      const env = new Map((c.env || []).map((e) => [e.name, e]));
      const claims = (w.kind === "StatefulSet" && w.spec.volumeClaimTemplates || []).map((t) => t.metadata.name);
      const claimMount = (c.volumeMounts || []).find((vm) => claims.includes(vm.name));
      const pgdata = env.has("PGDATA") ? env.get("PGDATA").value : undefined;
      if (!claimMount) {
        fail(w, "database", `container ${c.name}: no volumeClaimTemplate of a StatefulSet is mounted`);
      } else if (!pgdata || !pgdata.startsWith(claimMount.mountPath.replace(/\/$/, "") + "/")) {
        fail(w, "database", `container ${c.name}: PGDATA (${pgdata || "unset"}) is not a folder below its claim's ${claimMount.mountPath} (whose root may hold lost+found)`);
      }
      for (const m of c.volumeMounts || []) {
        if (m.readOnly === true || m.mountPath === "/tmp" || (claimMount && m.name === claimMount.name)) continue;
        fail(w, "database", `container ${c.name}: volume ${m.name} at ${m.mountPath} is writable (only the claim and /tmp may be)`);
      }
      for (const e of c.env || []) {
        if (/^POSTGRES_PASSWORD$/.test(e.name)) fail(w, "database", `container ${c.name}: env ${e.name}: the image reads the password from a file (POSTGRES_PASSWORD_FILE)`);
      }
      const file = env.has("POSTGRES_PASSWORD_FILE") ? env.get("POSTGRES_PASSWORD_FILE").value : DATABASE_PASSWORD_FILE;
      const dir = (file || "").slice(0, (file || "").lastIndexOf("/"));
      const mount = (c.volumeMounts || []).find((vm) => vm.mountPath === dir);
      const vol = mount && (spec.volumes || []).find((v) => v.name === mount.name);
      const name = (file || "").slice(dir.length + 1);
      const secret = vol && vol.secret;
      // With items, only they are in the folder; without, every key is.
      const item = secret && secret.items && secret.items.find((i) => i.path === name);
      const held = secret && (secret.items ? !!item : (secretKeys.get(secret.secretName) || []).includes(name));
      if (!held) {
        fail(w, "database", `container ${c.name}: the password file ${file} is not a key of a mounted Secret`);
      } else {
        const mode = item && item.mode !== undefined ? item.mode : secret.defaultMode;
        if (mode !== 0o400) fail(w, "database", `container ${c.name}: the password file ${file} has mode ${mode === undefined ? "unset (0644)" : "0" + mode.toString(8)}, not 0400`);
      }
      if (psc.fsGroup !== SUITE_UID) {
        fail(w, "database", `pod securityContext.fsGroup is ${psc.fsGroup === undefined ? "unset" : psc.fsGroup}, not ${SUITE_UID}: the server could not read its password file (root's, 0400) nor write its claim`);
      }
      for (const p of ["readinessProbe", "livenessProbe"]) {
        const cmd = c[p] && c[p].exec && c[p].exec.command;
        if (!cmd || cmd[0] !== "pg_isready") fail(w, "database", `container ${c.name}: ${p} is not an exec of pg_isready`);
      }
      const stop = c.lifecycle && c.lifecycle.preStop && c.lifecycle.preStop.exec && c.lifecycle.preStop.exec.command;
      const d = stop ? stop.indexOf("-D") : -1;
      const m = stop ? stop.indexOf("-m") : -1;
      if (!stop || stop[0] !== "pg_ctl" || stop[1] !== "stop" || d < 0 || stop[d + 1] !== pgdata || m < 0 || stop[m + 1] !== "fast") {
        fail(w, "database", `container ${c.name}: preStop is not pg_ctl stop -D $PGDATA (${pgdata}) -m fast`);
      }
    }

    // --- one gateway: it keeps its audit log of refusals in its own SQLite
    // file (/data/gateway-audit.db), so a second replica would split the
    // trail (ListAuditRecords answering from either at random)
    if (longRunning && w.metadata.name === GATEWAY) {
      count("replicas");
      const replicas = w.spec.replicas === undefined ? 1 : w.spec.replicas;
      if (replicas !== 1) fail(w, "replicas", `${replicas} replicas, not 1: each would keep its own audit log (SQLite), splitting the trail`);
      for (const a of byKind("HorizontalPodAutoscaler")) {
        const ref = a.spec && a.spec.scaleTargetRef;
        if (ref && ref.kind === w.kind && ref.name === w.metadata.name && nsOf(a) === nsOf(w)) {
          fail(w, "replicas", `HorizontalPodAutoscaler/${a.metadata.name} scales it: its audit log (SQLite) allows one replica`);
        }
      }
    }

    // --- replicas spread when there are several
    if (longRunning && (w.spec.replicas || 1) > 1) {
      count("spread");
      const aff = spec.affinity && spec.affinity.podAntiAffinity;
      if (!(spec.topologySpreadConstraints || []).length && !aff) {
        fail(w, "spread", `${w.spec.replicas} replicas, but no topologySpreadConstraints or podAntiAffinity`);
      }
    }

    // --- every Secret it names, and every file its flags name, is one
    // make-secrets makes, its files closed to others; no secret value in
    // the processes' arguments (which any process of the node can read)
    count("secrets");
    const mounts = new Map();  // mountPath -> keys of its Secret
    for (const v of spec.volumes || []) {
      if (!v.secret) continue;
      for (const [what, mode] of [["defaultMode", v.secret.defaultMode], ...(v.secret.items || []).map((i) => [`item ${i.key} mode`, i.mode])]) {
        if (what === "defaultMode" && mode === undefined) fail(w, "secrets", `volume ${v.name}: Secret ${v.secret.secretName} has no defaultMode (0644: readable by every user)`);
        else if (mode !== undefined && (mode & 0o037)) fail(w, "secrets", `volume ${v.name}: Secret ${v.secret.secretName} ${what} 0${mode.toString(8)} opens it to others or lets it be written or run`);
      }
      const keys = secretKeys.get(v.secret.secretName);
      if (!keys) { fail(w, "secrets", `volume ${v.name}: Secret ${v.secret.secretName} is not one make-secrets makes`); continue; }
      for (const it of v.secret.items || []) if (!keys.includes(it.key)) fail(w, "secrets", `volume ${v.name}: Secret ${v.secret.secretName} has no key ${it.key}`);
      for (const c of containers) {
        for (const vm of c.volumeMounts || []) {
          if (vm.name !== v.name) continue;
          if (vm.subPath) fail(w, "secrets", `container ${c.name}: Secret volume ${v.name} mounted with subPath (never updated: no rotation)`);
          if (vm.readOnly !== true) fail(w, "secrets", `container ${c.name}: Secret volume ${v.name} is not mounted readOnly`);
          mounts.set(vm.mountPath, v.secret.items ? v.secret.items.map((i) => i.path) : keys);
        }
      }
    }
    for (const c of containers) {
      const fromSecret = new Set();
      for (const e of c.env || []) {
        if (/PASSWORD/i.test(e.name) && !/_FILE$/.test(e.name) && e.value !== undefined) {
          fail(w, "secrets", `container ${c.name}: env ${e.name} is a literal value, not a Secret's key (secretKeyRef)`);
        }
        const ref = e.valueFrom && e.valueFrom.secretKeyRef;
        if (!ref) continue;
        fromSecret.add(e.name);
        const keys = secretKeys.get(ref.name);
        if (!keys || !keys.includes(ref.key)) fail(w, "secrets", `container ${c.name}: env ${e.name} names key ${ref.key} of Secret ${ref.name}, which make-secrets does not make`);
      }
      for (const a of [...(c.command || []), ...(c.args || [])]) {
        for (const [, v] of a.matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) {
          if (fromSecret.has(v)) fail(w, "secrets", `container ${c.name}: argument ${a} expands $(${v}), a Secret's value, into the process's arguments`);
        }
        if (!a.startsWith("--postgres_dsn=") && dsnHasPassword(a.replace(/^--[a-z_]+=/, ""))) {  // the DSN: rule store
          fail(w, "secrets", `container ${c.name}: argument ${a.replace(/(password\s*=\s*)\S+/i, "$1...")} holds a password`);
        }
      }
      for (const a of c.args || []) {
        const m = /^--([a-z_]+_files?)=(.*)$/.exec(a);
        if (!m) continue;
        for (const file of m[2].split(",")) {
          const dir = file.slice(0, file.lastIndexOf("/"));
          const keys = mounts.get(dir);
          if (!keys || !keys.includes(file.slice(dir.length + 1))) {
            fail(w, "secrets", `container ${c.name}: --${m[1]} names ${file}, which no mounted Secret holds`);
          }
        }
      }
    }
  }

  // One tag for every image of the suite (the kustomization's images:).
  count("images");
  if (suiteTags.size > 1) {
    failures.push({ object: "images", rule: "images", message: `the suite's images carry ${suiteTags.size} tags: ${[...suiteTags].map(([t, at]) => `${t} (${at})`).join(", ")}` });
  }

  // Who may talk to whom: the policies' graph against the pods' calls.
  const network = checkNetwork(objects);
  failures.push(...network.failures);
  for (const [rule, n] of Object.entries(network.counts)) counts[rule] = (counts[rule] || 0) + n;

  return { failures, counts, calls: network.calls };
}

module.exports = { check, parseImage };
