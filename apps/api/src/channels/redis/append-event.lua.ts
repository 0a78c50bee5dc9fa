/**
 * Appends one event to a channel's stream, atomically (a script runs alone on the server).
 *
 * Every id of a stream shares one time part, the epoch, fixed when the stream is created: the
 * first entry is `<now>-1`, the next ones `<epoch>-*` (Redis counts the sequence). A stream that
 * is deleted and recreated therefore gets a new, later epoch, and cursors from its old life are
 * recognised as foreign. `ts` is the server's clock, so it agrees across API instances.
 *
 * Each append renews the stream's TTL (CHANNEL_TTL_S): a channel not written for that long is
 * forgotten by Redis itself, and written again it starts a new epoch.
 *
 * KEYS[1] the stream · ARGV[1] MAXLEN (approximate) · ARGV[2] type · ARGV[3] data as JSON ·
 * ARGV[4] TTL in seconds. Returns { id, ts }.
 */
export const APPEND_EVENT_SCRIPT = `
local time = redis.call('TIME')
local now = time[1] .. string.format('%03d', math.floor(tonumber(time[2]) / 1000))
local newest = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1]
local id
if newest then
  id = string.match(newest[1], '^(%d+)%-') .. '-*'
else
  id = now .. '-1'
end
local added = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], id,
  'type', ARGV[2], 'data', ARGV[3], 'ts', now)
redis.call('EXPIRE', KEYS[1], ARGV[4])
return { added, now }
`;
