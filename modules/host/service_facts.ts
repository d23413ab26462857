// service_facts (ansible.builtin.service_facts): every systemd service with Ansible's shape,
// { "k3s.service": { name, state: running|stopped|<ActiveState>, status: enabled|disabled|
// static|masked|failed|not-found|..., source: "systemd" } }, parsed as its SystemctlScanService
// does from `systemctl list-units` and `list-unit-files`. A host fact: ansible_facts.services.
import { defineModule, type Change, type ModuleContext } from '../../engine/index-module.js';

type State = { services: Record<string, Service> };
type Service = { name: string; state: string; status: string; source: 'systemd' };

// Ansible asks systemd only when PID 1 is systemd; herdbook asks systemctl whenever it answers
// (a container or a test node whose PID 1 is something else but whose systemctl works). Where
// systemd does not run, list-units fails ("System has not been booted with systemd"): no services.
const SCRIPT = `
command -v systemctl >/dev/null 2>&1 || exit 0
units=$(systemctl list-units --no-pager --type service --all 2>/dev/null) || exit 0
echo "@units"; printf '%s\\n' "$units"
files=$(systemctl list-unit-files --no-pager --type service --all 2>/dev/null)
echo "@files"; printf '%s\\n' "$files"
echo "@active"
# As Ansible: the ActiveState of each unit file list-units did not show.
printf '%s\\n' "$files" | awk '/\\.service/ {print $1}' | while read -r u; do
  printf '%s\\n' "$units" | grep -q "[[:space:]]$u[[:space:]]" && continue
  echo "Id=$u"; systemctl show --property=ActiveState -- "$u" 2>/dev/null; echo
done
exit 0
`;

const BAD_STATES = ['not-found', 'masked', 'failed'];

export function parseServices(text: string): Record<string, Service> {
  const units = text.split('@files\n')[0] ?? '';
  const files = (text.split('@files\n')[1] ?? '').split('@active\n')[0] ?? '';
  const services: Record<string, Service> = {};
  for (const line of units.split('\n').filter((l) => l.includes('.service'))) {
    let fields = line.trim().split(/\s+/);
    let status = 'unknown';
    const bad = BAD_STATES.find((b) => fields.includes(b));
    if (bad) {
      status = bad;
      // The ● in front of a failed or missing unit (Ansible drops the first field).
      fields = fields.slice(1);
    } else status = fields[2];
    services[fields[0]] = {
      name: fields[0],
      state: fields[3] === 'running' ? 'running' : 'stopped',
      status,
      source: 'systemd',
    };
  }
  for (const line of files.split('\n').filter((l) => l.includes('.service'))) {
    const [name, status] = line.trim().split(/\s+/);
    if (!name || !status) continue;
    if (!services[name]) services[name] = { name, state: 'unknown', status, source: 'systemd' };
    else if (!BAD_STATES.includes(services[name].status)) services[name].status = status;
  }
  return services;
}

/** `systemctl show -p Id,ActiveState` blocks: the state of units list-units did not list (Ansible asks one by one). */
function activeStates(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const block of (text.split('@active\n')[1] ?? '').split(/\n\s*\n/)) {
    const id = /^Id=(.+)$/m.exec(block)?.[1];
    const st = /^ActiveState=(.+)$/m.exec(block)?.[1];
    if (id && st) out.set(id.trim(), st.trim());
  }
  return out;
}

async function inspect(ctx: ModuleContext): Promise<State> {
  const r = await ctx.exec(['sh', '-c', SCRIPT], { env: { LANG: 'C', LC_ALL: 'C' }, idempotent: true });
  const services = parseServices(r.stdout);
  const active = activeStates(r.stdout);
  for (const s of Object.values(services))
    if (s.state === 'unknown' && active.has(s.name)) s.state = active.get(s.name)!;
  return { services };
}

export const serviceFacts = defineModule<Record<string, never>, State, Change>({
  name: 'service_facts',
  schema: 'service_facts',
  runsOn: 'host',
  predictable: true,
  hostFacts: true,
  inspect,
  plan: (state) => ({
    changes: [],
    noop: `${Object.keys(state.services).length} services`,
    data: { ansible_facts: { services: state.services } },
  }),
  apply: () => Promise.resolve({}),
});
