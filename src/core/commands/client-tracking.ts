/**
 * CLIENT TRACKING, CACHING, GETREDIR and TRACKINGINFO: the subcommands of
 * CLIENT that drive client-side caching (see ../tracking.ts).
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import { CommandError, Err } from '../errors.js';
import { MapReply, OK, SetReply, type Reply } from '../resp/reply.js';
import { Tracking, type TrackingState } from '../tracking.js';
import { isWord, parseIntNumber } from './parse.js';
import { command, type CommandSpec } from './types.js';

const fail = (message: string): never => {
  throw new CommandError(`ERR ${message}`);
};

function prefixesCollide(a: Bytes, b: Bytes): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

export const clientTrackingSubcommands: CommandSpec[] = [
  command({
    name: 'tracking', arity: -3, flags: ['noscript', 'loading', 'stale'], categories: ['connection'], group: 'connection',
    summary: 'Controls server-assisted client-side caching for the connection.', since: '6.0.0',
    handler(ctx, args): Reply {
      const client = ctx.client;
      let redirect = 0;
      let bcast = false;
      let optin = false;
      let optout = false;
      let noloop = false;
      const prefixes: Bytes[] = [];
      for (let i = 3; i < args.length; i++) {
        const a = args[i]!;
        const more = i + 1 < args.length;
        if (isWord(a, 'REDIRECT') && more) {
          if (redirect !== 0) fail('A client can only redirect to a single other client');
          const id = parseIntNumber(args[++i]!);
          if (id === null) throw new CommandError(Err.notInteger);
          if (id !== 0 && !ctx.server.clients.has(id)) fail('The client ID you want redirect to does not exist');
          redirect = id;
        } else if (isWord(a, 'BCAST')) bcast = true;
        else if (isWord(a, 'OPTIN')) optin = true;
        else if (isWord(a, 'OPTOUT')) optout = true;
        else if (isWord(a, 'NOLOOP')) noloop = true;
        else if (isWord(a, 'PREFIX') && more) prefixes.push(args[++i]!);
        else throw new CommandError(Err.syntax);
      }
      const tracking = Tracking.of(ctx.server);
      const current = client.ext['tracking'] as TrackingState | undefined;
      if (isWord(args[2]!, 'ON')) {
        if (!bcast && prefixes.length > 0) fail('PREFIX option requires BCAST mode to be enabled');
        if (current !== undefined && current.bcast !== bcast) {
          fail("You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.");
        }
        if (bcast && (optin || optout)) fail('OPTIN and OPTOUT are not compatible with BCAST');
        if (optin && optout) fail("You can't specify both OPTIN mode and OPTOUT mode");
        if (current !== undefined && ((optin && current.optout) || (optout && current.optin))) {
          fail("You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.");
        }
        if (bcast) {
          const existing = current?.prefixes ?? [];
          for (let i = 0; i < prefixes.length; i++) {
            for (const e of existing) {
              if (prefixesCollide(prefixes[i]!, e)) {
                fail(`Prefix '${prefixes[i]}' overlaps with an existing prefix '${e}'. Prefixes for a single client must not overlap.`);
              }
            }
            for (let j = i + 1; j < prefixes.length; j++) {
              if (prefixesCollide(prefixes[i]!, prefixes[j]!)) {
                fail(`Prefix '${prefixes[i]}' overlaps with another provided prefix '${prefixes[j]}'. Prefixes for a single client must not overlap.`);
              }
            }
          }
        }
        tracking.enable(client, {
          redirect,
          bcast,
          optin: optin || (current?.optin ?? false),
          optout: optout || (current?.optout ?? false),
          noloop: noloop || (current?.noloop ?? false),
          prefixes: [...(current?.prefixes ?? []), ...prefixes],
          caching: null,
          broken: false,
        });
        return OK;
      }
      if (isWord(args[2]!, 'OFF')) {
        tracking.disable(client);
        return OK;
      }
      throw new CommandError(Err.syntax);
    },
  }),
  command({
    name: 'caching', arity: 3, flags: ['noscript', 'loading', 'stale'], categories: ['connection'], group: 'connection',
    summary: 'Instructs the server whether to track the keys in the next request.', since: '6.0.0',
    handler(ctx, args) {
      const s = ctx.client.ext['tracking'] as TrackingState | undefined;
      if (s === undefined || (!s.optin && !s.optout)) {
        fail('CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled');
      }
      if (isWord(args[2]!, 'YES')) {
        if (!s!.optin) fail('CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.');
        s!.caching = 'yes';
      } else if (isWord(args[2]!, 'NO')) {
        if (!s!.optout) fail('CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.');
        s!.caching = 'no';
      } else throw new CommandError(Err.syntax);
      return OK;
    },
  }),
  command({
    name: 'getredir', arity: 2, flags: ['noscript', 'loading', 'stale'], categories: ['connection'], group: 'connection',
    summary: 'Returns the client ID to which the connection\'s tracking notifications are redirected.', since: '6.0.0',
    handler(ctx) {
      const s = ctx.client.ext['tracking'] as TrackingState | undefined;
      return s === undefined ? -1 : s.redirect;
    },
  }),
  command({
    name: 'trackinginfo', arity: 2, flags: ['noscript', 'loading', 'stale'], categories: ['connection'], group: 'connection',
    summary: 'Returns information about server-assisted client-side caching for the connection.', since: '6.2.0',
    handler(ctx) {
      const s = ctx.client.ext['tracking'] as TrackingState | undefined;
      const flags: Reply[] = [];
      if (s === undefined) flags.push('off');
      else {
        flags.push('on');
        if (s.bcast) flags.push('bcast');
        if (s.optin) flags.push('optin');
        if (s.optout) flags.push('optout');
        if (s.caching === 'yes') flags.push('caching-yes');
        if (s.caching === 'no') flags.push('caching-no');
        if (s.noloop) flags.push('noloop');
        if (s.broken) flags.push('broken_redirect');
      }
      return new MapReply(['flags', new SetReply(flags), 'redirect', s === undefined ? -1 : s.redirect, 'prefixes', s?.prefixes ?? []]);
    },
  }),
];
