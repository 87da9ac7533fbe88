// Sorting a failed Modbus request into what it means for the site: the module did not answer,
// it answered with an exception (wiring or address mistake), the port itself is away, or the
// answer was garbled on the line.
import { CodedError } from '../../common/coded-error.ts';

export type ModbusFailure = 'timeout' | 'exception' | 'port' | 'frame';

export function classifyModbusError(err: unknown): ModbusFailure {
  if (err instanceof CodedError) {
    if (err.code === 'MODBUS_TIMEOUT') return 'timeout';
    if (err.code === 'SERIAL_PORT_LOST' || err.code === 'QUEUE_CLOSED') return 'port';
    return 'frame';
  }
  if (typeof err === 'object' && err !== null) {
    const e = err as { errno?: unknown; modbusCode?: unknown };
    if (typeof e.modbusCode === 'number') return 'exception';
    // modbus-serial's own errno strings: ETIMEDOUT (no answer), ECONNREFUSED (port not open).
    if (e.errno === 'ETIMEDOUT') return 'timeout';
    if (e.errno === 'ECONNREFUSED') return 'port';
  }
  return 'frame';
}

/** The presence reason reported when a module stops answering for this kind of failure. */
export function failureReason(kind: ModbusFailure): string {
  switch (kind) {
    case 'timeout':
      return 'MODBUS_TIMEOUT';
    case 'exception':
      return 'MODBUS_EXCEPTION';
    case 'port':
      return 'SERIAL_PORT_LOST';
    case 'frame':
      return 'MODBUS_BAD_FRAME';
  }
}
