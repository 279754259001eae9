use clap::Parser;

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    skillmark::cli::run(skillmark::cli::Cli::parse()).await
}
