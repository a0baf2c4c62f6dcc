/**
 * Pub/sub commands. Subscription confirmations are pushed to the client one
 * per channel (as Redis sends them), so the command itself answers nothing.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { CommandContext } from '../context.js';
import { CommandError, Err } from '../errors.js';
import { globMatch } from '../glob.js';
import { PubSub } from '../pubsub.js';
import { NO_REPLY, type Reply } from '../resp/reply.js';
import { command, type CommandSpec } from './types.js';

const flags = ['pubsub', 'noscript', 'loading', 'stale'] as const;

function confirm(ctx: CommandContext, replies: Reply[]): Reply {
  const sink = ctx.client.sink;
  if (sink === undefined) return replies;
  for (const r of replies) sink.push(r);
  return NO_REPLY;
}

function subscribeCommand(name: string, kind: 'channel' | 'pattern' | 'shard', summary: string, since: string): CommandSpec {
  return command({
    name, arity: -2, flags, categories: ['pubsub'], group: 'pubsub', summary, since,
    ...(kind === 'shard' ? { keys: { first: 1, last: -1, step: 1 } } : {}),
    handler(ctx, args) {
      if (ctx.client.ext['multi'] !== undefined && kind !== 'shard') {
        // Redis allows SUBSCRIBE in MULTI only for RESP3 clients.
        if (ctx.client.resp === 2) throw new CommandError(`ERR Command not allowed inside a transaction`);
      }
      return confirm(ctx, PubSub.of(ctx.server).subscribe(ctx.client, kind, args.slice(1)));
    },
  });
}

function unsubscribeCommand(name: string, kind: 'channel' | 'pattern' | 'shard', summary: string, since: string): CommandSpec {
  return command({
    name, arity: -1, flags, categories: ['pubsub'], group: 'pubsub', summary, since,
    ...(kind === 'shard' ? { keys: { first: 1, last: -1, step: 1 } } : {}),
    handler: (ctx, args) => confirm(ctx, PubSub.of(ctx.server).unsubscribe(ctx.client, kind, args.slice(1))),
  });
}

function sortedNames(map: Map<Bytes, Set<unknown>>, pattern: Bytes | undefined): Bytes[] {
  const out: Bytes[] = [];
  for (const name of map.keys()) if (pattern === undefined || globMatch(pattern, name)) out.push(name);
  return out;
}

export const pubsubCommands: CommandSpec[] = [
  subscribeCommand('subscribe', 'channel', 'Listens for messages published to channels.', '2.0.0'),
  subscribeCommand('psubscribe', 'pattern', 'Listens for messages published to channels that match one or more patterns.', '2.0.0'),
  subscribeCommand('ssubscribe', 'shard', 'Listens for messages published to shard channels.', '7.0.0'),
  unsubscribeCommand('unsubscribe', 'channel', 'Stops listening to messages posted to channels.', '2.0.0'),
  unsubscribeCommand('punsubscribe', 'pattern', 'Stops listening to messages published to channels that match one or more patterns.', '2.0.0'),
  unsubscribeCommand('sunsubscribe', 'shard', 'Stops listening to messages posted to shard channels.', '7.0.0'),
  command({
    name: 'publish', arity: 3, flags: ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'], categories: ['pubsub'], group: 'pubsub',
    summary: 'Posts a message to a channel.', since: '2.0.0',
    handler: (ctx, args) => PubSub.of(ctx.server).publish(args[1]!, args[2]!),
  }),
  command({
    name: 'spublish', arity: 3, flags: ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'], keys: { first: 1, last: 1, step: 1 },
    categories: ['pubsub'], group: 'pubsub', summary: 'Post a message to a shard channel', since: '7.0.0',
    handler: (ctx, args) => PubSub.of(ctx.server).publishShard(args[1]!, args[2]!),
  }),
  command({
    name: 'pubsub', arity: -2, group: 'pubsub', summary: 'A container for Pub/Sub commands.', since: '2.8.0',
    subcommands: [
      command({
        name: 'channels', arity: -2, flags: ['pubsub', 'loading', 'stale'], categories: ['pubsub'], group: 'pubsub',
        summary: 'Returns the active channels.', since: '2.8.0',
        handler(ctx, args) {
          if (args.length > 3) throw new CommandError(Err.wrongArity('pubsub|channels'));
          return sortedNames(PubSub.of(ctx.server).channels, args[2]);
        },
      }),
      command({
        name: 'numsub', arity: -2, flags: ['pubsub', 'loading', 'stale'], categories: ['pubsub'], group: 'pubsub',
        summary: 'Returns a count of subscribers to channels.', since: '2.8.0',
        handler(ctx, args) {
          const ps = PubSub.of(ctx.server);
          const out: Reply[] = [];
          for (const ch of args.slice(2)) out.push(ch, ps.channels.get(ch)?.size ?? 0);
          return out;
        },
      }),
      command({
        name: 'numpat', arity: 2, flags: ['pubsub', 'loading', 'stale'], categories: ['pubsub'], group: 'pubsub',
        summary: 'Returns a count of unique pattern subscriptions.', since: '2.8.0',
        handler: (ctx) => PubSub.of(ctx.server).patterns.size,
      }),
      command({
        name: 'shardchannels', arity: -2, flags: ['pubsub', 'loading', 'stale'], categories: ['pubsub'], group: 'pubsub',
        summary: 'Returns the active shard channels.', since: '7.0.0',
        handler(ctx, args) {
          if (args.length > 3) throw new CommandError(Err.wrongArity('pubsub|shardchannels'));
          return sortedNames(PubSub.of(ctx.server).shardChannels, args[2]);
        },
      }),
      command({
        name: 'shardnumsub', arity: -2, flags: ['pubsub', 'loading', 'stale'], categories: ['pubsub'], group: 'pubsub',
        summary: 'Returns the count of subscribers of shard channels.', since: '7.0.0',
        handler(ctx, args) {
          const ps = PubSub.of(ctx.server);
          const out: Reply[] = [];
          for (const ch of args.slice(2)) out.push(ch, ps.shardChannels.get(ch)?.size ?? 0);
          return out;
        },
      }),
      command({
        name: 'help', arity: 2, flags: ['loading', 'stale'], group: 'pubsub', summary: 'Returns helpful text about the different subcommands.', since: '6.2.0',
        handler: () => [
          'PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
          'CHANNELS [<pattern>]',
          "    Return the currently active channels matching a <pattern> (default: '*').",
          'NUMPAT',
          '    Return number of subscriptions to patterns.',
          'NUMSUB [<channel> ...]',
          '    Return the number of subscribers for the specified channels, excluding',
          '    pattern subscriptions(default: no channels).',
          'SHARDCHANNELS [<pattern>]',
          "    Return the currently active shard level channels matching a <pattern> (default: '*').",
          'SHARDNUMSUB [<shardchannel> ...]',
          '    Return the number of subscribers for the specified shard level channel(s)',
          'HELP',
          '    Prints this help.',
        ],
      }),
    ],
  }),
];
