// service: Ansible's generic spelling, here always systemd (the hosts k3s runs on).
export { service } from './systemd.js';
