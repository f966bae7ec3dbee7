//! The region catalogue: which host each service is reached at in a region, the `.eu`
//! host of DLI in `eu-west-101`, and the build error for a mistyped region. Sends no
//! request.
//!
//! ```text
//! cargo run -p huaweicloud-api-client --example regions
//! ```

use huaweicloud_api_client::{Client, Service};

/// Builds clients for a few regions and describes where each service goes.
pub fn run() -> Result<String, Box<dyn std::error::Error>> {
    let mut out = String::new();
    for region in ["cn-north-4", "ap-southeast-1", "eu-west-101"] {
        let client = Client::builder()
            .project_id("0123456789abcdef0123456789abcdef")
            .region(region)
            .build()?;
        for service in Service::ALL {
            let url = client
                .runtime()
                .base_url(service.index())
                .ok_or("every service has a base URL")?;
            out.push_str(&format!("{region:>15} {:<13} {url}\n", service.name()));
        }
    }
    let typo = Client::builder()
        .project_id("0123456789abcdef0123456789abcdef")
        .region("cn-nort-4")
        .build()
        .err()
        .ok_or("a mistyped region fails the build")?;
    out.push_str(&format!("cn-nort-4: {typo}\n"));
    Ok(out)
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(text) => {
            print!("{text}");
            std::process::ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}
