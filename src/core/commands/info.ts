/**
 * INFO: the server's figures in Redis's sections and field names. Sections
 * owned by other modules take part through `server.ext['infoFields']`
 * (section name -> function returning extra or replacing fields).
 * This module is browser compatible.
 */
import { REDIS_VERSION, VERSION } from '../version.js';
import type { Bytes } from '../bytes.js';
import { Persistence } from '../persistence/persistence.js';
import type { PubSub } from '../pubsub.js';
import type { Tracking } from '../tracking.js';
import type { Server } from '../server.js';
import { VerbatimReply } from '../resp/reply.js';
import { clientPause } from './client-pause.js';
import { latencyHistograms } from './latency-histogram.js';
import { serverMetrics } from './metrics.js';
import { command } from './types.js';

type Fields = [string, string | number][];
type FieldSource = (server: Server) => Fields;

/** Sections in INFO's order; `default` marks those INFO without arguments prints. */
const SECTIONS: { name: string; title: string; default: boolean }[] = [
  { name: 'server', title: 'Server', default: true },
  { name: 'clients', title: 'Clients', default: true },
  { name: 'memory', title: 'Memory', default: true },
  { name: 'persistence', title: 'Persistence', default: true },
  { name: 'stats', title: 'Stats', default: true },
  { name: 'replication', title: 'Replication', default: true },
  { name: 'cpu', title: 'CPU', default: true },
  { name: 'modules', title: 'Modules', default: true },
  { name: 'commandstats', title: 'Commandstats', default: false },
  { name: 'errorstats', title: 'Errorstats', default: true },
  { name: 'latencystats', title: 'Latencystats', default: false },
  { name: 'cluster', title: 'Cluster', default: true },
  { name: 'keyspace', title: 'Keyspace', default: true },
];

/** Redis's bytesToHuman. */
export function bytesToHuman(n: number): string {
  const units = ['K', 'M', 'G', 'T', 'P'];
  if (n < 1024) return `${n}B`;
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(2)}${units[i]}`;
}

function fixed(n: number, digits = 2): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '0.00';
}

function blockedClients(server: Server): number {
  const b = server.ext['blockedClients'];
  let n = typeof b === 'number' ? b : b !== null && typeof b === 'object' && 'size' in b ? Number((b as { size: number }).size) : 0;
  const pause = server.ext['clientPause'] as ReturnType<typeof clientPause> | undefined;
  if (pause) n += pause.waitingCount;
  return n;
}

const sources: Record<string, FieldSource> = {
  server(s) {
    const rt = s.runtime;
    const now = s.clock.now();
    const uptime = Math.floor((s.clock.monotonic() - s.startedMonotonic) / 1000);
    return [
      ['redis_version', REDIS_VERSION],
      ['ubique_version', VERSION],
      ['redis_git_sha1', '00000000'],
      ['redis_git_dirty', 0],
      ['redis_build_id', '0'],
      ['redis_mode', 'standalone'],
      ['os', rt.os ?? rt.name],
      ['arch_bits', rt.archBits ?? 64],
      ['monotonic_clock', 'performance.now'],
      ['multiplexing_api', rt.name],
      ['runtime', rt.version !== undefined ? `${rt.name} ${rt.version}` : rt.name],
      ['process_id', rt.pid ?? 0],
      ['process_supervised', 'no'],
      ['run_id', s.runId],
      ['tcp_port', s.tcpPort],
      ['server_time_usec', Math.floor(now) * 1000],
      ['uptime_in_seconds', uptime],
      ['uptime_in_days', Math.floor(uptime / 86400)],
      ['hz', s.config.int('hz')],
      ['configured_hz', s.config.int('hz')],
      ['lru_clock', Math.floor(now / 1000) & 0xffffff],
      ['executable', rt.executable ?? ''],
      ['config_file', rt.configFile ?? ''],
      ['io_threads_active', 0],
    ];
  },
  clients(s) {
    let maxIn = 0;
    let maxOut = 0;
    let tracking = 0;
    for (const c of s.clients.values()) {
      if (c.queryBuffer > maxIn) maxIn = c.queryBuffer;
      const out = c.sink?.outputBytes() ?? 0;
      if (out > maxOut) maxOut = out;
      if (c.ext['tracking'] === true) tracking++;
    }
    return [
      ['connected_clients', s.clients.size],
      ['cluster_connections', 0],
      ['maxclients', s.config.int('maxclients')],
      ['client_recent_max_input_buffer', maxIn],
      ['client_recent_max_output_buffer', maxOut],
      ['blocked_clients', blockedClients(s)],
      ['tracking_clients', tracking],
      ['clients_in_timeout_table', 0],
    ];
  },
  memory(s) {
    const metrics = serverMetrics(s);
    const used = metrics.usedMemory();
    const rss = s.runtime.memory?.().rss ?? 0;
    const peak = metrics.peakMemory;
    const maxmemory = s.config.int('maxmemory');
    return [
      ['used_memory', used],
      ['used_memory_human', bytesToHuman(used)],
      ['used_memory_rss', rss],
      ['used_memory_rss_human', bytesToHuman(rss)],
      ['used_memory_peak', peak],
      ['used_memory_peak_human', bytesToHuman(peak)],
      ['used_memory_peak_perc', `${fixed(peak > 0 ? (used * 100) / peak : 0)}%`],
      ['maxmemory', maxmemory],
      ['maxmemory_human', bytesToHuman(maxmemory)],
      ['maxmemory_policy', s.config.str('maxmemory-policy')],
      ['mem_fragmentation_ratio', fixed(used > 0 ? rss / used : 0)],
      ['mem_fragmentation_bytes', rss > 0 ? rss - used : 0],
      ['mem_not_counted_for_evict', 0],
      ['mem_allocator', s.runtime.name],
      ['lazyfree_pending_objects', 0],
      ['lazyfreed_objects', 0],
    ];
  },
  persistence(s) {
    const p = Persistence.of(s);
    const st = p?.status();
    const aof = p?.aof?.status();
    const now = s.clock.monotonic();
    const since = (t: number | null | undefined) => (t === null || t === undefined ? -1 : Math.round((now - t) / 1000));
    return [
      ['loading', st?.loading ? 1 : 0],
      ['async_loading', 0],
      ['current_cow_peak', 0],
      ['current_cow_size', 0],
      ['current_cow_size_age', 0],
      ['current_fork_perc', '0.00'],
      ['current_save_keys_processed', 0],
      ['current_save_keys_total', 0],
      ['rdb_changes_since_last_save', st?.changesSinceSave ?? s.dirty],
      ['rdb_bgsave_in_progress', st?.bgsaveStartedAt != null ? 1 : 0],
      ['rdb_last_save_time', st?.lastSave ?? Math.floor(s.startedAt / 1000)],
      ['rdb_last_bgsave_status', st === undefined || st.lastBgsaveOk ? 'ok' : 'err'],
      ['rdb_last_bgsave_time_sec', st?.lastBgsaveSeconds ?? -1],
      ['rdb_current_bgsave_time_sec', since(st?.bgsaveStartedAt)],
      ['rdb_saves', 0],
      ['rdb_last_cow_size', 0],
      ['rdb_last_load_keys_expired', 0],
      ['rdb_last_load_keys_loaded', 0],
      ['aof_enabled', aof ? 1 : 0],
      ['aof_rewrite_in_progress', st?.rewriteStartedAt != null ? 1 : 0],
      ['aof_rewrite_scheduled', 0],
      ['aof_last_rewrite_time_sec', st?.lastRewriteSeconds ?? -1],
      ['aof_current_rewrite_time_sec', since(st?.rewriteStartedAt)],
      ['aof_last_bgrewrite_status', st === undefined || st.lastRewriteOk ? 'ok' : 'err'],
      ['aof_rewrites', st?.rewrites ?? 0],
      ['aof_rewrites_consecutive_failures', 0],
      ['aof_last_write_status', aof === undefined || aof.lastWriteOk ? 'ok' : 'err'],
      ['aof_last_cow_size', 0],
      ['module_fork_in_progress', 0],
      ['module_fork_last_cow_size', 0],
      ...((aof
        ? [
            ['aof_current_size', aof.size],
            ['aof_base_size', p!.aof!.baseSize],
            ['aof_pending_rewrite', 0],
            ['aof_buffer_length', aof.pendingBytes],
            ['aof_pending_bio_fsync', 0],
            ['aof_delayed_fsync', aof.delayedFsync],
          ]
        : []) as [string, string | number][]),
    ];
  },
  stats(s) {
    const st = s.stats;
    const m = serverMetrics(s);
    const ps = s.ext['pubsub'] as PubSub | undefined;
    const tracking = s.ext['tracking'] as Tracking | undefined;
    return [
      ['total_connections_received', st.connectionsReceived],
      ['total_commands_processed', st.commandsProcessed],
      ['instantaneous_ops_per_sec', Math.round(m.ops.rate)],
      ['total_net_input_bytes', st.netInputBytes],
      ['total_net_output_bytes', st.netOutputBytes],
      ['total_net_repl_input_bytes', 0],
      ['total_net_repl_output_bytes', 0],
      ['instantaneous_input_kbps', fixed(m.netInput.rate / 1024)],
      ['instantaneous_output_kbps', fixed(m.netOutput.rate / 1024)],
      ['instantaneous_input_repl_kbps', '0.00'],
      ['instantaneous_output_repl_kbps', '0.00'],
      ['rejected_connections', st.rejectedConnections],
      ['sync_full', 0],
      ['sync_partial_ok', 0],
      ['sync_partial_err', 0],
      ['expired_keys', st.expiredKeys],
      ['expired_stale_perc', '0.00'],
      ['expired_time_cap_reached_count', 0],
      ['evicted_keys', st.evictedKeys],
      ['evicted_clients', 0],
      ['keyspace_hits', st.keyspaceHits],
      ['keyspace_misses', st.keyspaceMisses],
      ['pubsub_channels', ps?.channels.size ?? 0],
      ['pubsub_patterns', ps?.patterns.size ?? 0],
      ['pubsubshard_channels', ps?.shardChannels.size ?? 0],
      ['latest_fork_usec', 0],
      ['total_forks', 0],
      ['migrate_cached_sockets', 0],
      ['slave_expires_tracked_keys', 0],
      ['tracking_total_keys', tracking?.keys ?? 0],
      ['tracking_total_items', 0],
      ['tracking_total_prefixes', 0],
      ['unexpected_error_replies', st.unexpectedErrorReplies],
      ['total_error_replies', st.errorReplies],
      ['dump_payload_sanitizations', 0],
      ['acl_access_denied_auth', st.aclAccessDeniedAuth],
      ['acl_access_denied_cmd', st.aclAccessDeniedCmd],
      ['acl_access_denied_key', st.aclAccessDeniedKey],
      ['acl_access_denied_channel', st.aclAccessDeniedChannel],
      ['client_query_buffer_limit_disconnections', st.clientQueryBufferLimitDisconnections],
      ['client_output_buffer_limit_disconnections', st.clientOutputBufferLimitDisconnections],
    ];
  },
  replication(s) {
    return [
      ['role', 'master'],
      ['connected_slaves', 0],
      ['master_failover_state', 'no-failover'],
      ['master_replid', (s.ext['replId'] as string | undefined) ?? s.runId],
      ['master_replid2', '0000000000000000000000000000000000000000'],
      ['master_repl_offset', (s.ext['replOffset'] as number | undefined) ?? 0],
      ['second_repl_offset', -1],
      ['repl_backlog_active', 0],
      ['repl_backlog_size', 1048576],
      ['repl_backlog_first_byte_offset', 0],
      ['repl_backlog_histlen', 0],
    ];
  },
  cpu(s) {
    const cpu = s.runtime.cpu?.() ?? { user: 0, system: 0 };
    const child = s.runtime.childCpu?.() ?? { user: 0, system: 0 };
    return [
      ['used_cpu_sys', cpu.system.toFixed(6)],
      ['used_cpu_user', cpu.user.toFixed(6)],
      ['used_cpu_sys_children', child.system.toFixed(6)],
      ['used_cpu_user_children', child.user.toFixed(6)],
      ['used_cpu_sys_main_thread', cpu.system.toFixed(6)],
      ['used_cpu_user_main_thread', cpu.user.toFixed(6)],
    ];
  },
  modules: () => [],
  commandstats(s) {
    const out: Fields = [];
    for (const [name, st] of s.commandStats) {
      if (st.calls === 0 && st.rejectedCalls === 0 && st.failedCalls === 0) continue;
      const usec = Math.round(st.usec);
      out.push([
        `cmdstat_${name}`,
        `calls=${st.calls},usec=${usec},usec_per_call=${fixed(st.calls > 0 ? st.usec / st.calls : 0)},rejected_calls=${st.rejectedCalls},failed_calls=${st.failedCalls}`,
      ]);
    }
    return out;
  },
  errorstats(s) {
    const out: Fields = [];
    for (const [code, count] of s.errorStats) out.push([`errorstat_${code}`, `count=${count}`]);
    return out;
  },
  latencystats(s) {
    const percentiles = s.config.str('latency-tracking-info-percentiles').split(' ').filter(Boolean).map(Number);
    return latencyHistograms(s).infoFields(percentiles);
  },
  cluster: () => [['cluster_enabled', 0]],
  keyspace(s) {
    const out: Fields = [];
    const now = s.clock.now();
    for (const db of s.engine.dbs) {
      if (db.data.size === 0) continue;
      out.push([`db${db.id}`, `keys=${db.data.size},expires=${db.expires.size},avg_ttl=${averageTtl(db.expires, now)}`]);
    }
    return out;
  },
};

/** Average remaining TTL in ms, estimated from up to 1000 keys as Redis estimates it by sampling. */
function averageTtl(expires: Map<Bytes, number>, now: number): number {
  if (expires.size === 0) return 0;
  let sum = 0;
  let n = 0;
  for (const at of expires.values()) {
    if (at > now) {
      sum += at - now;
      n++;
    }
    if (n >= 1000) break;
  }
  return n === 0 ? 0 : Math.round(sum / n);
}

/** The sections INFO's arguments ask for, in INFO's order. */
function selectSections(args: Bytes[]): Set<string> {
  const wanted = new Set<string>();
  if (args.length <= 1) {
    for (const sec of SECTIONS) if (sec.default) wanted.add(sec.name);
    return wanted;
  }
  for (let i = 1; i < args.length; i++) {
    const name = args[i]!.toLowerCase();
    if (name === 'default') {
      for (const sec of SECTIONS) if (sec.default) wanted.add(sec.name);
    } else if (name === 'all' || name === 'everything') {
      for (const sec of SECTIONS) wanted.add(sec.name);
    } else {
      wanted.add(name);
    }
  }
  return wanted;
}

/** The INFO text for the given arguments (`args[0]` is the command name). */
export function infoText(server: Server, args: Bytes[]): string {
  const wanted = selectSections(args);
  const extra = server.ext['infoFields'] as Record<string, FieldSource> | undefined;
  let out = '';
  for (const sec of SECTIONS) {
    if (!wanted.has(sec.name)) continue;
    let fields = sources[sec.name]!(server);
    const more = extra?.[sec.name]?.(server);
    if (more) {
      const replaced = new Map(more);
      fields = fields.map(([k, v]): [string, string | number] => [k, replaced.has(k) ? replaced.get(k)! : v]);
      for (const [k, v] of more) if (!fields.some(([f]) => f === k)) fields.push([k, v]);
    }
    if (out !== '') out += '\r\n';
    out += `# ${sec.title}\r\n`;
    for (const [k, v] of fields) out += `${k}:${v}\r\n`;
  }
  return out;
}

export const infoCommand = command({
  name: 'info', arity: -1, flags: ['loading', 'stale'], tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'], categories: ['dangerous'], group: 'server',
  summary: 'Returns information and statistics about the server.', complexity: 'O(1)',
  handler: (ctx, args) => new VerbatimReply('txt', infoText(ctx.server, args)),
});
