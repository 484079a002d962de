// Reading rendered Kubernetes objects, shared by rules.js (the suite's
// rules) and network.js (who may talk to whom): names, namespaces, pod
// templates, label selectors, a process's flags.
"use strict";

const WORKLOAD_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod"];
const LONG_RUNNING = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"];

const id = (o) => `${o.kind}/${o.metadata && o.metadata.name}`;
const nsOf = (o) => (o.metadata && o.metadata.namespace) || "";

function podTemplate(o) {
  if (o.kind === "Pod") return { metadata: o.metadata, spec: o.spec };
  if (o.kind === "CronJob") return o.spec && o.spec.jobTemplate && o.spec.jobTemplate.spec.template;
  return o.spec && o.spec.template;
}
const podSpec = (o) => (podTemplate(o) || {}).spec || {};
const podLabels = (o) => ((podTemplate(o) || {}).metadata || {}).labels || {};
const containersOf = (spec) => [...(spec.initContainers || []), ...(spec.containers || [])];

// A label selector (matchLabels, matchExpressions) against labels; {}
// selects everything, no selector nothing.
function selects(selector, labels) {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels || {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions || []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    if (e.operator === "In" && !(has && e.values.includes(labels[e.key]))) return false;
    if (e.operator === "NotIn" && has && e.values.includes(labels[e.key])) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}
// A Service's selector is a plain map.
const mapSelects = (map, labels) => !!map && Object.keys(map).length > 0 &&
  Object.entries(map).every(([k, v]) => labels[k] === v);

// The value of --flag= in a container's arguments: the last one, as absl
// takes it.
function argValue(args, flag) {
  let value;
  for (const a of args || []) if (a.startsWith(`--${flag}=`)) value = a.slice(flag.length + 3);
  return value;
}

module.exports = {
  WORKLOAD_KINDS, LONG_RUNNING, id, nsOf, podTemplate, podSpec, podLabels, containersOf, selects, mapSelects, argValue,
};
