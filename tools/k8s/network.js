// Who may talk to whom in one rendered overlay, evaluated (rules.js runs it
// for check-manifests). Two graphs are compared:
//   expected: the calls the pods make, read from their own flags
//     (--*_address=dns:///<service>:<port>, --target=, --wait_for=,
//     --postgres_dsn=host=<h> port=<p>) and resolved through the Services
//     (name -> selector -> pods, port -> targetPort -> containerPort); plus
//     DNS for every pod (UDP and TCP 53, to kube-system's kube-dns or to any
//     address) and the gateway's public port from anywhere;
//   allowed: what the NetworkPolicies let through, a connection passing
//     when the source's egress and the destination's ingress both allow it
//     (podSelector, policyTypes, from/to by podSelector, namespaceSelector
//     and ipBlock, ports by number, range or name, a name resolved against
//     the destination pod's ports), as the API defines them.
// Rule "addresses": a flag names a Service, a port or a pod that does not
// exist. Rule "connectivity": an expected call is refused; or a workload's
// ingress admits, or its egress lets out, a connection no expected call
// needs (each side on its own, so that `from: [podSelector: {}]` fails even
// while every other pod's egress happens to be closed).
//
// Peers the manifests do not hold stand in for the rest of the world: a pod
// of the suite's namespace that is not the suite's (its policies govern
// it), a pod of another namespace, kube-system's kube-dns, an address
// outside the cluster. An ipBlock is taken to match outside addresses only
// (whether it matches pods' addresses depends on the network plugin), and
// the kubelet's probes are not modelled (most plugins let a node reach its
// own pods whatever the policies say).
"use strict";

const { WORKLOAD_KINDS, id, nsOf, podSpec, podLabels, containersOf, selects, mapSelects } = require("./objects.js");

const GATEWAY = "gateway";      // the workload whose Service is public
const GATEWAY_PORT = 50051;     // that Service's port
const DNS_PORT = 53;
const POSTGRES_PORT = 5432;     // libpq's default
const ANY_PORT = 0;             // "a port no rule names": only a rule without ports opens it
const NAME_LABEL = "kubernetes.io/metadata.name";  // every namespace's own label

const portText = (p) => (p.number === ANY_PORT ? `any other ${p.protocol} port` : `${p.number}/${p.protocol}${p.name ? ` (${p.name})` : ""}`);
const policyTypes = (p) => p.spec.policyTypes || (p.spec.egress ? ["Ingress", "Egress"] : ["Ingress"]);

// The peers: every workload's pods, and the stand-ins.
function peersOf(objects) {
  const nsLabels = new Map();
  for (const n of objects.filter((o) => o.kind === "Namespace")) {
    nsLabels.set(n.metadata.name, { ...(n.metadata.labels || {}), [NAME_LABEL]: n.metadata.name });
  }
  const labelsOfNs = (ns) => nsLabels.get(ns) || { [NAME_LABEL]: ns };
  const pods = objects.filter((o) => WORKLOAD_KINDS.includes(o.kind)).map((w) => ({
    name: w.metadata.name,
    workload: w,
    governed: true,
    namespace: nsOf(w),
    nsLabels: labelsOfNs(nsOf(w)),
    labels: podLabels(w),
    ports: (podSpec(w).containers || []).flatMap((c) => c.ports || [])
      .map((p) => ({ name: p.name, number: p.containerPort, protocol: p.protocol || "TCP" })),
  }));
  const others = [...new Set(pods.map((p) => p.namespace))].map((ns) => ({
    name: `a pod of namespace ${ns} not of the suite`, governed: true, namespace: ns, nsLabels: labelsOfNs(ns),
    labels: { "app.kubernetes.io/name": "stranger" }, ports: [],
  }));
  others.push(
    { name: "a pod of another namespace", governed: false, namespace: "elsewhere", nsLabels: labelsOfNs("elsewhere"),
      labels: { "app.kubernetes.io/name": "stranger" }, ports: [] },
    { name: "kube-system/kube-dns", governed: false, namespace: "kube-system", nsLabels: labelsOfNs("kube-system"),
      labels: { "k8s-app": "kube-dns" }, dns: true,
      ports: [{ name: "dns", number: DNS_PORT, protocol: "UDP" }, { name: "dns-tcp", number: DNS_PORT, protocol: "TCP" },
        { name: "metrics", number: 9153, protocol: "TCP" }] },
    { name: "an address outside the cluster", governed: false, external: true, dns: true, ports: [] },
  );
  return { pods, all: [...pods, ...others] };
}

// Does one entry of a rule's from/to, in a policy of namespace ns, match peer?
function peerMatches(entry, ns, peer) {
  if (entry.ipBlock) return !!peer.external;
  if (peer.external) return false;
  if (entry.namespaceSelector ? !selects(entry.namespaceSelector, peer.nsLabels) : peer.namespace !== ns) return false;
  return entry.podSelector ? selects(entry.podSelector, peer.labels) : true;
}

// Does a rule's port entry match port (a {number, protocol}) of dst?
function portMatches(rp, port, dst) {
  if ((rp.protocol || "TCP") !== port.protocol) return false;
  if (rp.port === undefined) return true;
  if (typeof rp.port === "string" && !/^\d+$/.test(rp.port)) {
    return dst.ports.some((p) => p.name === rp.port && p.protocol === port.protocol && p.number === port.number);
  }
  const first = Number(rp.port);
  return port.number >= first && port.number <= (rp.endPort || first);
}

// Do subject's policies of direction ("Ingress": subject is the destination,
// other the source; "Egress": the other way) let a connection to port through?
function sideAllows(policies, direction, subject, other, port) {
  if (!subject.governed) return true;
  const mine = policies.filter((p) => nsOf(p) === subject.namespace && selects(p.spec.podSelector, subject.labels) &&
    policyTypes(p).includes(direction));
  if (!mine.length) return true;  // not isolated
  const ingress = direction === "Ingress";
  const dst = ingress ? subject : other;
  return mine.some((p) => (p.spec[ingress ? "ingress" : "egress"] || []).some((rule) => {
    const peers = rule[ingress ? "from" : "to"] || [];
    const ports = rule.ports || [];
    return (!peers.length || peers.some((e) => peerMatches(e, nsOf(p), other))) &&
      (!ports.length || ports.some((rp) => portMatches(rp, port, dst)));
  }));
}

// "dns:///legislation:50052", "legislation:50052" -> {host, port}
function parseTarget(value) {
  const m = /^(?:dns:(?:\/\/[^/]*)?\/)?([^:/]+):(\d+)$/.exec(value);
  return m ? { host: m[1], port: Number(m[2]) } : undefined;
}

// A libpq DSN's host and port (conninfo "host=h port=p ..." or a URI),
// falling back on PGHOST and PGPORT, then libpq's default port.
function parseDsn(dsn, env) {
  let host, port;
  const uri = /^postgres(?:ql)?:\/\/(?:[^@/]*@)?([^:/?]*)(?::(\d+))?/i.exec(dsn);
  if (uri) {
    host = uri[1] || undefined;
    port = uri[2];
  } else {
    for (const [, k, v] of dsn.matchAll(/(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|\S*)/g)) {
      const value = v.replace(/^'(.*)'$/, "$1");
      if (k === "host") host = value;
      if (k === "port") port = value;
    }
  }
  const fromEnv = (name) => { const e = (env || []).find((x) => x.name === name); return e && e.value; };
  host = host || fromEnv("PGHOST");
  port = port || fromEnv("PGPORT") || POSTGRES_PORT;
  return { host, port: Number(port) };
}

// The calls a container's flags make: [{flag, text, host, port}] (the last
// value of each flag, as absl takes it), and the flags it cannot read.
function callsOf(c) {
  const last = new Map();
  for (const a of [...(c.command || []), ...(c.args || [])]) {
    const m = /^--([a-z0-9_]+)=(.*)$/.exec(a);
    if (m) last.set(m[1], m[2]);
  }
  const calls = [];
  const bad = [];
  for (const [flag, value] of last) {
    const text = `--${flag}=${value}`;
    if (flag === "postgres_dsn") {
      const { host, port } = parseDsn(value, c.env);
      if (host) calls.push({ flag, text, host, port });
      else bad.push(`${text} names no host (libpq would use a local socket)`);
      continue;
    }
    if (!(flag.endsWith("_address") || flag === "target" || flag === "wait_for")) continue;
    for (const one of flag === "wait_for" ? value.split(",").filter(Boolean) : [value]) {
      const t = parseTarget(one);
      if (t) calls.push({ flag, text: flag === "wait_for" ? `--wait_for: ${one}` : text, ...t });
      else bad.push(`--${flag}: ${one} is not <service>:<port> nor dns:///<service>:<port>`);
    }
  }
  return { calls, bad };
}

// A host name of a Service of namespace ns: name, name.ns, name.ns.svc,
// name.ns.svc.cluster.local; anything else (another namespace, an address)
// is no Service of the overlay.
function serviceName(host, ns) {
  const m = /^([a-z0-9-]+)(?:\.([a-z0-9-]+)(?:\.svc(?:\.cluster\.local)?)?)?\.?$/.exec(host);
  return m && (!m[2] || m[2] === ns) ? m[1] : undefined;
}

function checkNetwork(objects) {
  const failures = [];
  const counts = {};
  const fail = (object, rule, message) => failures.push({ object, rule, message });
  const count = (rule) => { counts[rule] = (counts[rule] || 0) + 1; };
  const policies = objects.filter((o) => o.kind === "NetworkPolicy");
  const services = objects.filter((o) => o.kind === "Service");
  const { pods, all } = peersOf(objects);

  // --- the expected graph: [{from, to, port, why}]
  const expected = [];
  // host:port, as dialled from a pod of namespace ns -> [{to, port}], or a failure
  const resolve = (host, port, ns) => {
    const name = serviceName(host, ns);
    const s = name && services.find((x) => x.metadata.name === name && nsOf(x) === ns);
    if (!s) {
      return { error: `names ${host}, which is no Service of the overlay (${services.filter((x) => nsOf(x) === ns).map((x) => x.metadata.name).join(", ")})` };
    }
    const sp = (s.spec.ports || []).find((p) => p.port === port && (p.protocol || "TCP") === "TCP");
    if (!sp) {
      return { error: `names port ${port} of Service ${name}, which serves ${(s.spec.ports || []).map((p) => p.port).join(", ") || "no port"}` };
    }
    const targets = pods.filter((p) => p.namespace === ns && mapSelects(s.spec.selector, p.labels));
    if (!targets.length) return { error: `names Service ${name}, which selects no pod` };
    const found = [];
    for (const to of targets) {
      const tp = sp.targetPort === undefined ? sp.port : sp.targetPort;
      const cp = to.ports.find((p) => p.protocol === "TCP" && (typeof tp === "string" ? p.name === tp : p.number === tp));
      if (!cp) return { error: `reaches Service ${name} port ${port}, whose targetPort ${tp} no container of ${id(to.workload)} declares` };
      found.push({ to, port: cp });
    }
    return { found };
  };
  for (const from of pods) {
    for (const c of containersOf(podSpec(from.workload))) {
      const { calls, bad } = callsOf(c);
      for (const b of bad) fail(id(from.workload), "addresses", `container ${c.name}: ${b}`);
      for (const call of calls) {
        count("addresses");
        const r = resolve(call.host, call.port, from.namespace);
        if (r.error) { fail(id(from.workload), "addresses", `container ${c.name}: ${call.text} ${r.error}`); continue; }
        for (const t of r.found) expected.push({ from, to: t.to, port: t.port, why: call.text, needed: true });
      }
    }
  }
  const gateway = pods.find((p) => p.name === GATEWAY);
  if (gateway) {
    const r = resolve(GATEWAY, GATEWAY_PORT, gateway.namespace);
    if (r.error) fail(id(gateway.workload), "connectivity", `the public port: ${GATEWAY}:${GATEWAY_PORT} ${r.error}`);
    for (const t of r.found || []) {
      // Admitted from anywhere; needed from outside the suite's pods, whose
      // own egress is closed to it unless they call it.
      for (const from of all) {
        if (from !== t.to) expected.push({ from, to: t.to, port: t.port, why: "the gateway's public port", needed: !from.governed });
      }
    }
  }
  const isExpected = (from, to, port) => expected.some((e) => e.from === from && e.to === to &&
    e.port.number === port.number && e.port.protocol === port.protocol);
  const isDns = (port) => port.number === DNS_PORT;

  const ingressOk = (from, to, port) => sideAllows(policies, "Ingress", to, from, port);
  const egressOk = (from, to, port) => sideAllows(policies, "Egress", from, to, port);
  const arrow = (e) => `${e.from.name} -> ${e.to.name}:${portText(e.port)}`;

  // --- every expected call allowed, both sides
  for (const e of expected) {
    if (!e.needed) continue;
    const out = egressOk(e.from, e.to, e.port);
    const into = ingressOk(e.from, e.to, e.port);
    if (out && into) continue;
    const by = [!out && `the egress of ${e.from.name}`, !into && `the ingress of ${e.to.name}`].filter(Boolean).join(" and ");
    fail(id((e.from.workload ? e.from : e.to).workload), "connectivity", `${arrow(e)} (${e.why}) is refused by ${by}`);
  }
  // DNS: UDP and TCP 53, to kube-dns or to any address
  for (const from of pods) {
    count("connectivity");
    for (const protocol of ["UDP", "TCP"]) {
      const port = { number: DNS_PORT, protocol };
      if (!all.filter((p) => p.dns).some((to) => egressOk(from, to, port))) {
        fail(id(from.workload), "connectivity", `${from.name} -> DNS ${DNS_PORT}/${protocol} (kube-system/kube-dns, or any address) is refused by its egress`);
      }
    }
  }

  // --- nothing else: each side on its own
  const numbered = [];
  for (const p of policies) {
    for (const rule of [...(p.spec.ingress || []), ...(p.spec.egress || [])]) {
      for (const rp of rule.ports || []) {
        if (rp.port === undefined || (typeof rp.port === "string" && !/^\d+$/.test(rp.port))) continue;
        for (const n of [Number(rp.port), rp.endPort].filter(Number.isInteger)) numbered.push({ number: n, protocol: rp.protocol || "TCP" });
      }
    }
  }
  const portsOf = (peer) => {
    const out = [...peer.ports];
    for (const p of [...numbered, { number: ANY_PORT, protocol: "TCP" }, { number: ANY_PORT, protocol: "UDP" }]) {
      if (!out.some((q) => q.number === p.number && q.protocol === p.protocol)) out.push(p);
    }
    return out;
  };
  // extra: [[peer name, "1/TCP, 2/TCP" or "every port"]] -> "X, Y on 1/TCP, 2/TCP; Z on every port"
  const report = (workload, what, extra) => {
    if (!extra.length) return;
    const byPorts = new Map();
    for (const [peer, ports] of extra) byPorts.set(ports, [...(byPorts.get(ports) || []), peer]);
    const text = [...byPorts].map(([ports, peers]) => `${peers.join(", ")} on ${ports}`).join("; ");
    fail(id(workload), "connectivity", `its ${what}, with no expected call: ${text}`);
  };
  const unexpected = (peer, candidates, allowed, ok) => {
    const open = candidates.filter((port) => allowed(port));
    const extra = open.filter((port) => !ok(port));
    if (!extra.length) return [];
    return [[peer.name, open.length === candidates.length ? "every port" : extra.map(portText).join(", ")]];
  };
  for (const me of pods) {
    const inExtra = [];
    const outExtra = [];
    for (const other of all) {
      if (other === me) continue;
      inExtra.push(...unexpected(other, portsOf(me), (port) => ingressOk(other, me, port), (port) => isExpected(other, me, port)));
      outExtra.push(...unexpected(other, portsOf(other), (port) => egressOk(me, other, port),
        (port) => isExpected(me, other, port) || isDns(port)));
    }
    report(me.workload, "ingress admits", inExtra);
    report(me.workload, "egress lets out", outExtra);
  }
  const calls = [...new Set(expected.filter((e) => e.needed && e.from.workload).map((e) => `${e.from.name}->${e.to.name}:${e.port.number}`))];
  return { failures, counts, calls };
}

module.exports = { checkNetwork, parseDsn, parseTarget };
