// kube_api_tunnel: for clusters whose API is not reachable from the controller, a local port
// whose connections are carried through a host's SSH connection to the API (127.0.0.1:6443 as
// that host sees it).
import net from 'node:net';
import type { Connection } from '../connection/types.js';
import { ModuleError } from '../errors.js';

export type Tunnel = { port: number; close(): Promise<void> };

export async function openTunnel(conn: Connection, host: string, port: number): Promise<Tunnel> {
  if (!conn.forward)
    throw new ModuleError(`kube_api_tunnel needs an ssh connection to ${conn.host} (it has a ${conn.kind} connection)`);
  const forward = conn.forward.bind(conn);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    forward(host, port).then(
      (remote) => {
        socket.pipe(remote).pipe(socket);
        remote.on('error', () => socket.destroy());
        socket.on('error', () => remote.destroy());
      },
      () => socket.destroy(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
