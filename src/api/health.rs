//! Liveness (`/healthz`: the process answers) and readiness (`/readyz`: the database answers).

use actix_web::{get, web, HttpResponse};
use diesel::connection::SimpleConnection;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok` for liveness, `ready` for readiness.
    pub status: String,
}

#[utoipa::path(tag = "health", responses((status = 200, body = Health)))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok".into() })
}

#[utoipa::path(tag = "health", responses(
    (status = 200, body = Health),
    (status = 503, description = "The database is not reachable", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    state.db(|conn| conn.batch_execute("SELECT 1").map_err(|e| ApiError::Unavailable(e.into()))).await?;
    Ok(HttpResponse::Ok().json(Health { status: "ready".into() }))
}
