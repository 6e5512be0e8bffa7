import { Org, type Role, type StaffMember } from '../org/org.js';

const remembered = new WeakMap<Org, Org>();

/**
 * The same org, answering "who serves this area in this role" from memory: planning a county's day asks it of
 * every step of every case (pending.ts and permissions.ts ask it to find stand-ins), and an Org never changes
 * (a new roster builds a new one), so each answer is worked out once.
 */
export function rememberingOrg(org: Org): Org {
  let fast = remembered.get(org);
  if (!fast) remembered.set(org, (fast = new RememberingOrg(org.file)));
  return fast;
}

class RememberingOrg extends Org {
  private readonly serving = new Map<string, StaffMember[]>();

  override staffServing(code: string, role: Role): StaffMember[] {
    const key = `${code}|${role}`;
    let found = this.serving.get(key);
    if (!found) {
      found = super.staffServing(code, role);
      this.serving.set(key, found);
    }
    return found;
  }
}
