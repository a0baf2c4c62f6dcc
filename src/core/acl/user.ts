/**
 * An ACL user: on/off, passwords (stored as SHA-256 hex), the root selector
 * and any extra selectors. Rules are applied to a copy by ACL SETUSER so a
 * refused rule leaves the user as it was.
 * This module is browser compatible.
 */
import { AclRuleError, Selector, type CommandIndex } from './selector.js';
import { sha256Hex } from './sha256.js';

export const UserRuleError = {
  noSuchPassword: 'The password you are trying to remove from the user does not exist',
  badHash: 'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters',
} as const;

const HASH_RE = /^[0-9a-f]{64}$/;

export class User {
  enabled = false;
  nopass = false;
  /** '' (not set), 'sanitize-payload' or 'skip-sanitize-payload'. */
  sanitize: '' | 'sanitize-payload' | 'skip-sanitize-payload' = '';
  passwords: string[] = [];
  root: Selector;
  selectors: Selector[] = [];

  constructor(readonly name: string, private readonly pubsubDefault: () => boolean) {
    this.root = new Selector(pubsubDefault());
  }

  clone(name = this.name): User {
    const u = new User(name, this.pubsubDefault);
    u.enabled = this.enabled;
    u.nopass = this.nopass;
    u.sanitize = this.sanitize;
    u.passwords = [...this.passwords];
    u.root = this.root.clone();
    u.selectors = this.selectors.map((s) => s.clone());
    return u;
  }

  /** Nothing limits this user: every permission check can be skipped. */
  get unrestricted(): boolean {
    return this.root.unrestricted;
  }

  /** Applies one SETUSER argument (a selector `(...)` included). */
  apply(op: string, index: CommandIndex): void {
    const lower = op.toLowerCase();
    if (op.startsWith('(') && op.endsWith(')')) {
      const s = new Selector(this.pubsubDefault());
      for (const part of op.slice(1, -1).split(' ')) if (part !== '') s.apply(part, index);
      this.selectors.push(s);
      return;
    }
    switch (lower) {
      case 'on': this.enabled = true; return;
      case 'off': this.enabled = false; return;
      case 'nopass':
        this.nopass = true;
        this.passwords = [];
        return;
      case 'resetpass':
        this.nopass = false;
        this.passwords = [];
        return;
      case 'sanitize-payload':
      case 'skip-sanitize-payload':
        this.sanitize = lower;
        return;
      case 'clearselectors':
        this.selectors = [];
        return;
      case 'reset':
        for (const r of ['resetpass', 'resetkeys', 'resetchannels', 'off', 'clearselectors', '-@all']) this.apply(r, index);
        if (this.pubsubDefault()) this.apply('allchannels', index);
        this.sanitize = 'sanitize-payload';
        return;
    }
    const c = op[0];
    if (c === '>' || c === '#') {
      const hash = c === '>' ? sha256Hex(op.slice(1)) : op.slice(1);
      if (c === '#' && !HASH_RE.test(hash)) throw new AclRuleError(UserRuleError.badHash);
      if (!this.passwords.includes(hash)) this.passwords.push(hash);
      this.nopass = false;
      return;
    }
    if (c === '<' || c === '!') {
      const hash = c === '<' ? sha256Hex(op.slice(1)) : op.slice(1);
      if (c === '!' && !HASH_RE.test(hash)) throw new AclRuleError(UserRuleError.badHash);
      const i = this.passwords.indexOf(hash);
      if (i < 0) throw new AclRuleError(UserRuleError.noSuchPassword);
      this.passwords.splice(i, 1);
      this.nopass = false;
      return;
    }
    this.root.apply(op, index);
  }

  checkPassword(pass: string): boolean {
    if (this.nopass) return true;
    const hash = sha256Hex(pass);
    // Compare every stored hash in full so timing says nothing about which matched.
    let ok = false;
    for (const p of this.passwords) if (constantTimeEqual(p, hash)) ok = true;
    return ok;
  }

  flags(): string[] {
    const f = [this.enabled ? 'on' : 'off'];
    if (this.nopass) f.push('nopass');
    if (this.sanitize !== '') f.push(this.sanitize);
    return f;
  }

  /** The user in ACL LIST / ACL file form. */
  describe(): string {
    let s = `user ${this.name} ${this.flags().join(' ')}`;
    for (const p of this.passwords) s += ` #${p}`;
    s += ` ${this.root.describe()}`;
    for (const sel of this.selectors) s += ` (${sel.describe()})`;
    return s;
  }
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
