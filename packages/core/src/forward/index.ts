/**
 * The Fluentd forward protocol without the sockets: framing a msgpack byte stream, decoding one
 * frame into records (or a heartbeat / handshake PING), and the shared-key handshake.
 * The TCP/TLS/UDP side lives in services/ingest/src/forward.
 */
export { ForwardFrameError, FrameScanner, type FrameScannerOptions } from './framer.ts';
export { decodeForwardFrame, type ForwardFrame, type ForwardMode } from './message.ts';
export {
  checkPing,
  clientPing,
  helo,
  isPing,
  type HandshakeSecrets,
  type HandshakeSession,
  type HeloMessage,
  type PingResult,
  type PongMessage,
} from './handshake.ts';
