// Reference peer for benchmarks: a separate process that echoes every byte it reads from a pty,
// so "write at one end → read back" is a raw pty round trip across two processes.
import { SerialPort } from 'serialport';

const path = process.argv[2];
if (!path) process.exit(2);
const port = new SerialPort({ path, baudRate: 9600 });
port.on('data', (d: Buffer) => port.write(d));
port.on('open', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => port.close(() => process.exit(0)));
