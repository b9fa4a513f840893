//! The native edge's reading of the machine for a server's Identify call (feature
//! `system-traits`): the OS name, the kernel version, the logical CPUs, the total memory and the
//! largest disk, through `sysinfo`, and `MEILI_SERVER_PROVIDER` — what the Meilisearch server
//! reads. The core reduces them (`engine::Traits::system`) before anything is recorded.

use crate::engine::SystemTraits;
use sysinfo::{Disks, System};

/// The machine this process runs on. Read once per process, as the server does: the values do
/// not change while it runs.
pub fn system_traits() -> SystemTraits {
    let mut system = System::new();
    system.refresh_memory();
    system.refresh_cpu_list(sysinfo::CpuRefreshKind::nothing());
    let disks = Disks::new_with_refreshed_list();
    SystemTraits {
        distribution: System::name(),
        kernel_version: System::kernel_version(),
        cores: system.cpus().len() as u64,
        ram_size: system.total_memory(),
        disk_size: disks.iter().map(|d| d.total_space()).max(),
        server_provider: std::env::var("MEILI_SERVER_PROVIDER").ok(),
    }
}
