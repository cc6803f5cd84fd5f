export interface MachineDescription {
  cpu: string;
  cores: number;
  memory_gb: number;
  kernel: string;
  node: string;
  host: string;
}
export function describeMachine(): MachineDescription;
