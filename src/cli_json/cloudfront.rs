//! CloudFront's answers as `aws cloudfront … --output json` prints them.
//!
//! Fields come in the order of botocore's model, headers (`Location`, `ETag`) first as its
//! parser reads them, and only those the service sent. CloudFront's lists are `Quantity` and
//! `Items`, and `Items` is left out when the service left it out. The list calls print what
//! the CLI's paginator keeps: `{"DistributionList": {"Items": [...]}}`, or nothing when
//! there are no items.

use aws_sdk_cloudfront::operation::create_distribution::CreateDistributionOutput;
use aws_sdk_cloudfront::operation::create_invalidation::CreateInvalidationOutput;
use aws_sdk_cloudfront::operation::create_origin_access_control::CreateOriginAccessControlOutput;
use aws_sdk_cloudfront::operation::get_distribution::GetDistributionOutput;
use aws_sdk_cloudfront::operation::get_distribution_config::GetDistributionConfigOutput;
use aws_sdk_cloudfront::operation::get_invalidation::GetInvalidationOutput;
use aws_sdk_cloudfront::operation::get_origin_access_control::GetOriginAccessControlOutput;
use aws_sdk_cloudfront::operation::update_distribution::UpdateDistributionOutput;
use aws_sdk_cloudfront::types::{
    AliasIcpRecordal, AllowedMethods, CacheBehavior, CustomOriginConfig, DefaultCacheBehavior,
    Distribution, DistributionConfig, DistributionSummary, ForwardedValues, FunctionAssociations,
    Invalidation, InvalidationSummary, KeyPairIds, LambdaFunctionAssociations, Origin,
    OriginAccessControl, OriginAccessControlConfig, OriginAccessControlSummary, OriginGroup,
    TrustedKeyGroups, TrustedSigners, ViewerCertificate, ViewerMtlsConfig,
};
use serde_json::Value;

use super::{Object, Stamp, time};

// ---- Origin Access Control -----------------------------------------------------------------

/// `aws cloudfront create-origin-access-control`.
pub fn create_origin_access_control(output: &CreateOriginAccessControlOutput) -> Value {
    Object::new()
        .opt("Location", output.location())
        .opt("ETag", output.e_tag())
        .opt(
            "OriginAccessControl",
            output.origin_access_control().map(origin_access_control),
        )
        .build()
}

/// `aws cloudfront get-origin-access-control`.
pub fn get_origin_access_control(output: &GetOriginAccessControlOutput) -> Value {
    Object::new()
        .opt("ETag", output.e_tag())
        .opt(
            "OriginAccessControl",
            output.origin_access_control().map(origin_access_control),
        )
        .build()
}

/// `aws cloudfront list-origin-access-controls`, all pages joined.
pub fn list_origin_access_controls(items: Option<&[OriginAccessControlSummary]>) -> Value {
    paginated("OriginAccessControlList", items, |summary| {
        Object::new()
            .set("Id", summary.id())
            .set("Description", summary.description())
            .set("Name", summary.name())
            .set("SigningProtocol", summary.signing_protocol().as_str())
            .set("SigningBehavior", summary.signing_behavior().as_str())
            .set(
                "OriginAccessControlOriginType",
                summary.origin_access_control_origin_type().as_str(),
            )
            .build()
    })
}

fn origin_access_control(control: &OriginAccessControl) -> Value {
    Object::new()
        .set("Id", control.id())
        .opt(
            "OriginAccessControlConfig",
            control
                .origin_access_control_config()
                .map(origin_access_control_config),
        )
        .build()
}

fn origin_access_control_config(config: &OriginAccessControlConfig) -> Value {
    Object::new()
        .set("Name", config.name())
        .opt("Description", config.description())
        .set("SigningProtocol", config.signing_protocol().as_str())
        .set("SigningBehavior", config.signing_behavior().as_str())
        .set(
            "OriginAccessControlOriginType",
            config.origin_access_control_origin_type().as_str(),
        )
        .build()
}

// ---- distributions -------------------------------------------------------------------------

/// `aws cloudfront create-distribution`.
pub fn create_distribution(output: &CreateDistributionOutput) -> Value {
    Object::new()
        .opt("Location", output.location())
        .opt("ETag", output.e_tag())
        .opt("Distribution", output.distribution().map(distribution))
        .build()
}

/// `aws cloudfront get-distribution`.
pub fn get_distribution(output: &GetDistributionOutput) -> Value {
    Object::new()
        .opt("ETag", output.e_tag())
        .opt("Distribution", output.distribution().map(distribution))
        .build()
}

/// `aws cloudfront update-distribution`.
pub fn update_distribution(output: &UpdateDistributionOutput) -> Value {
    Object::new()
        .opt("ETag", output.e_tag())
        .opt("Distribution", output.distribution().map(distribution))
        .build()
}

/// `aws cloudfront get-distribution-config`.
pub fn get_distribution_config(output: &GetDistributionConfigOutput) -> Value {
    Object::new()
        .opt("ETag", output.e_tag())
        .opt(
            "DistributionConfig",
            output.distribution_config().map(distribution_config),
        )
        .build()
}

/// `aws cloudfront list-distributions`, all pages joined.
pub fn list_distributions(items: Option<&[DistributionSummary]>) -> Value {
    paginated("DistributionList", items, distribution_summary)
}

fn distribution(d: &Distribution) -> Value {
    Object::new()
        .set("Id", d.id())
        .set("ARN", d.arn())
        .set("Status", d.status())
        .opt(
            "LastModifiedTime",
            time(Some(d.last_modified_time()), Stamp::Millis),
        )
        .set(
            "InProgressInvalidationBatches",
            d.in_progress_invalidation_batches(),
        )
        .set("DomainName", d.domain_name())
        .opt(
            "ActiveTrustedSigners",
            d.active_trusted_signers().map(|signers| {
                Object::new()
                    .set("Enabled", signers.enabled())
                    .set("Quantity", signers.quantity())
                    .opt_list("Items", signers.items.as_deref(), |signer| {
                        Object::new()
                            .opt("AwsAccountNumber", signer.aws_account_number())
                            .opt("KeyPairIds", signer.key_pair_ids().map(key_pair_ids))
                            .build()
                    })
                    .build()
            }),
        )
        .opt(
            "ActiveTrustedKeyGroups",
            d.active_trusted_key_groups().map(|groups| {
                Object::new()
                    .set("Enabled", groups.enabled())
                    .set("Quantity", groups.quantity())
                    .opt_list("Items", groups.items.as_deref(), |group| {
                        Object::new()
                            .opt("KeyGroupId", group.key_group_id())
                            .opt("KeyPairIds", group.key_pair_ids().map(key_pair_ids))
                            .build()
                    })
                    .build()
            }),
        )
        .opt(
            "DistributionConfig",
            d.distribution_config().map(distribution_config),
        )
        .opt_list(
            "AliasICPRecordals",
            d.alias_icp_recordals.as_deref(),
            alias_icp_recordal,
        )
        .build()
}

fn key_pair_ids(ids: &KeyPairIds) -> Value {
    quantified(ids.quantity(), ids.items.as_deref(), text)
}

fn alias_icp_recordal(recordal: &AliasIcpRecordal) -> Value {
    Object::new()
        .opt("CNAME", recordal.cname())
        .opt(
            "ICPRecordalStatus",
            recordal.icp_recordal_status().map(|s| s.as_str()),
        )
        .build()
}

fn distribution_summary(s: &DistributionSummary) -> Value {
    Object::new()
        .set("Id", s.id())
        .set("ARN", s.arn())
        .opt("ETag", s.e_tag())
        .set("Status", s.status())
        .opt(
            "LastModifiedTime",
            time(Some(s.last_modified_time()), Stamp::Millis),
        )
        .set("DomainName", s.domain_name())
        .opt(
            "Aliases",
            s.aliases()
                .map(|a| quantified(a.quantity(), a.items.as_deref(), text)),
        )
        .opt(
            "Origins",
            s.origins()
                .map(|o| quantified(o.quantity(), Some(o.items()), origin)),
        )
        .opt(
            "OriginGroups",
            s.origin_groups()
                .map(|g| quantified(g.quantity(), g.items.as_deref(), origin_group)),
        )
        .opt(
            "DefaultCacheBehavior",
            s.default_cache_behavior().map(default_cache_behavior),
        )
        .opt(
            "CacheBehaviors",
            s.cache_behaviors()
                .map(|b| quantified(b.quantity(), b.items.as_deref(), cache_behavior)),
        )
        .opt(
            "CustomErrorResponses",
            s.custom_error_responses().map(custom_error_responses),
        )
        .set("Comment", s.comment())
        .set("PriceClass", s.price_class().as_str())
        .set("Enabled", s.enabled())
        .opt(
            "ViewerCertificate",
            s.viewer_certificate().map(viewer_certificate),
        )
        .opt(
            "Restrictions",
            s.restrictions().map(|r| restrictions(r.geo_restriction())),
        )
        .set("WebACLId", s.web_acl_id())
        .set("HttpVersion", s.http_version().as_str())
        .set("IsIPV6Enabled", s.is_ipv6_enabled())
        .opt_list(
            "AliasICPRecordals",
            s.alias_icp_recordals.as_deref(),
            alias_icp_recordal,
        )
        .set("Staging", s.staging())
        .opt("ConnectionMode", s.connection_mode().map(|m| m.as_str()))
        .opt("AnycastIpListId", s.anycast_ip_list_id())
        .opt(
            "ViewerMtlsConfig",
            s.viewer_mtls_config().map(viewer_mtls_config),
        )
        .opt(
            "ConnectionFunctionAssociation",
            s.connection_function_association()
                .map(|a| Object::new().set("Id", a.id()).build()),
        )
        .build()
}

// ---- a distribution's configuration --------------------------------------------------------

/// A `DistributionConfig`, as `get-distribution-config` prints it and `update-distribution`
/// takes it back.
pub fn distribution_config(c: &DistributionConfig) -> Value {
    Object::new()
        .set("CallerReference", c.caller_reference())
        .opt(
            "Aliases",
            c.aliases()
                .map(|a| quantified(a.quantity(), a.items.as_deref(), text)),
        )
        .opt("DefaultRootObject", c.default_root_object())
        .opt(
            "Origins",
            c.origins()
                .map(|o| quantified(o.quantity(), Some(o.items()), origin)),
        )
        .opt(
            "OriginGroups",
            c.origin_groups()
                .map(|g| quantified(g.quantity(), g.items.as_deref(), origin_group)),
        )
        .opt(
            "DefaultCacheBehavior",
            c.default_cache_behavior().map(default_cache_behavior),
        )
        .opt(
            "CacheBehaviors",
            c.cache_behaviors()
                .map(|b| quantified(b.quantity(), b.items.as_deref(), cache_behavior)),
        )
        .opt(
            "CustomErrorResponses",
            c.custom_error_responses().map(custom_error_responses),
        )
        .set("Comment", c.comment())
        .opt(
            "Logging",
            c.logging().map(|l| {
                Object::new()
                    .set("Enabled", l.enabled())
                    .set("IncludeCookies", l.include_cookies())
                    .set("Bucket", l.bucket())
                    .set("Prefix", l.prefix())
                    .build()
            }),
        )
        .opt("PriceClass", c.price_class().map(|p| p.as_str()))
        .set("Enabled", c.enabled())
        .opt(
            "ViewerCertificate",
            c.viewer_certificate().map(viewer_certificate),
        )
        .opt(
            "Restrictions",
            c.restrictions().map(|r| restrictions(r.geo_restriction())),
        )
        .opt("WebACLId", c.web_acl_id())
        .opt("HttpVersion", c.http_version().map(|v| v.as_str()))
        .opt("IsIPV6Enabled", c.is_ipv6_enabled())
        .opt(
            "ContinuousDeploymentPolicyId",
            c.continuous_deployment_policy_id(),
        )
        .opt("Staging", c.staging())
        .opt("AnycastIpListId", c.anycast_ip_list_id())
        .opt(
            "TenantConfig",
            c.tenant_config().map(|t| {
                Object::new()
                    .opt_list(
                        "ParameterDefinitions",
                        t.parameter_definitions.as_deref(),
                        |p| {
                            Object::new()
                                .set("Name", p.name())
                                .opt(
                                    "Definition",
                                    p.definition().map(|d| {
                                        Object::new()
                                            .opt(
                                                "StringSchema",
                                                d.string_schema().map(|s| {
                                                    Object::new()
                                                        .opt("Comment", s.comment())
                                                        .opt("DefaultValue", s.default_value())
                                                        .set("Required", s.required())
                                                        .build()
                                                }),
                                            )
                                            .build()
                                    }),
                                )
                                .build()
                        },
                    )
                    .build()
            }),
        )
        .opt("ConnectionMode", c.connection_mode().map(|m| m.as_str()))
        .opt(
            "ViewerMtlsConfig",
            c.viewer_mtls_config().map(viewer_mtls_config),
        )
        .opt(
            "ConnectionFunctionAssociation",
            c.connection_function_association()
                .map(|a| Object::new().set("Id", a.id()).build()),
        )
        .opt(
            "CacheTagConfig",
            c.cache_tag_config()
                .map(|t| Object::new().set("HeaderName", t.header_name()).build()),
        )
        .build()
}

fn origin(o: &Origin) -> Value {
    Object::new()
        .set("Id", o.id())
        .set("DomainName", o.domain_name())
        .opt("OriginPath", o.origin_path())
        .opt(
            "CustomHeaders",
            o.custom_headers().map(|h| {
                quantified(h.quantity(), h.items.as_deref(), |header| {
                    Object::new()
                        .set("HeaderName", header.header_name())
                        .set("HeaderValue", header.header_value())
                        .build()
                })
            }),
        )
        .opt(
            "S3OriginConfig",
            o.s3_origin_config().map(|s3| {
                Object::new()
                    .set("OriginAccessIdentity", s3.origin_access_identity())
                    .opt("OriginReadTimeout", s3.origin_read_timeout())
                    .build()
            }),
        )
        .opt(
            "CustomOriginConfig",
            o.custom_origin_config().map(custom_origin_config),
        )
        .opt(
            "VpcOriginConfig",
            o.vpc_origin_config().map(|vpc| {
                Object::new()
                    .set("VpcOriginId", vpc.vpc_origin_id())
                    .opt("OwnerAccountId", vpc.owner_account_id())
                    .opt("OriginReadTimeout", vpc.origin_read_timeout())
                    .opt("OriginKeepaliveTimeout", vpc.origin_keepalive_timeout())
                    .build()
            }),
        )
        .opt("ConnectionAttempts", o.connection_attempts())
        .opt("ConnectionTimeout", o.connection_timeout())
        .opt("ResponseCompletionTimeout", o.response_completion_timeout())
        .opt(
            "OriginShield",
            o.origin_shield().map(|shield| {
                Object::new()
                    .set("Enabled", shield.enabled())
                    .opt("OriginShieldRegion", shield.origin_shield_region())
                    .build()
            }),
        )
        .opt("OriginAccessControlId", o.origin_access_control_id())
        .build()
}

fn custom_origin_config(c: &CustomOriginConfig) -> Value {
    Object::new()
        .set("HTTPPort", c.http_port())
        .set("HTTPSPort", c.https_port())
        .set("OriginProtocolPolicy", c.origin_protocol_policy().as_str())
        .opt(
            "OriginSslProtocols",
            c.origin_ssl_protocols().map(|p| {
                quantified(p.quantity(), Some(p.items()), |protocol| {
                    Value::from(protocol.as_str())
                })
            }),
        )
        .opt("OriginReadTimeout", c.origin_read_timeout())
        .opt("OriginKeepaliveTimeout", c.origin_keepalive_timeout())
        .opt("IpAddressType", c.ip_address_type().map(|t| t.as_str()))
        .opt(
            "OriginMtlsConfig",
            c.origin_mtls_config().map(|m| {
                Object::new()
                    .set("ClientCertificateArn", m.client_certificate_arn())
                    .build()
            }),
        )
        .build()
}

fn origin_group(g: &OriginGroup) -> Value {
    Object::new()
        .set("Id", g.id())
        .opt(
            "FailoverCriteria",
            g.failover_criteria().map(|f| {
                Object::new()
                    .opt(
                        "StatusCodes",
                        f.status_codes().map(|codes| {
                            quantified(codes.quantity(), Some(codes.items()), |code| {
                                Value::from(*code)
                            })
                        }),
                    )
                    .build()
            }),
        )
        .opt(
            "Members",
            g.members().map(|m| {
                quantified(m.quantity(), Some(m.items()), |member| {
                    Object::new().set("OriginId", member.origin_id()).build()
                })
            }),
        )
        .opt(
            "SelectionCriteria",
            g.selection_criteria().map(|c| c.as_str()),
        )
        .build()
}

/// What `DefaultCacheBehavior` and `CacheBehavior` share, after the path and target.
struct Behavior<'a> {
    trusted_signers: Option<&'a TrustedSigners>,
    trusted_key_groups: Option<&'a TrustedKeyGroups>,
    viewer_protocol_policy: &'a str,
    allowed_methods: Option<&'a AllowedMethods>,
    smooth_streaming: Option<bool>,
    compress: Option<bool>,
    lambda_function_associations: Option<&'a LambdaFunctionAssociations>,
    function_associations: Option<&'a FunctionAssociations>,
    field_level_encryption_id: Option<&'a str>,
    realtime_log_config_arn: Option<&'a str>,
    cache_policy_id: Option<&'a str>,
    origin_request_policy_id: Option<&'a str>,
    response_headers_policy_id: Option<&'a str>,
    grpc_enabled: Option<bool>,
    forwarded_values: Option<&'a ForwardedValues>,
    ttls: [Option<i64>; 3],
}

/// The [`Behavior`] of a `DefaultCacheBehavior` or a `CacheBehavior`: two SDK types with the
/// same accessors.
macro_rules! behavior_of {
    ($b:expr) => {
        Behavior {
            trusted_signers: $b.trusted_signers(),
            trusted_key_groups: $b.trusted_key_groups(),
            viewer_protocol_policy: $b.viewer_protocol_policy().as_str(),
            allowed_methods: $b.allowed_methods(),
            smooth_streaming: $b.smooth_streaming(),
            compress: $b.compress(),
            lambda_function_associations: $b.lambda_function_associations(),
            function_associations: $b.function_associations(),
            field_level_encryption_id: $b.field_level_encryption_id(),
            realtime_log_config_arn: $b.realtime_log_config_arn(),
            cache_policy_id: $b.cache_policy_id(),
            origin_request_policy_id: $b.origin_request_policy_id(),
            response_headers_policy_id: $b.response_headers_policy_id(),
            grpc_enabled: $b.grpc_config().map(|g| g.enabled()),
            forwarded_values: $b.forwarded_values(),
            ttls: [$b.min_ttl(), $b.default_ttl(), $b.max_ttl()],
        }
    };
}

// The legacy `ForwardedValues` and TTLs are deprecated, and still in CloudFront's answers.
#[allow(deprecated)]
fn default_cache_behavior(b: &DefaultCacheBehavior) -> Value {
    let object = Object::new().set("TargetOriginId", b.target_origin_id());
    behavior(object, behavior_of!(b))
}

#[allow(deprecated)]
fn cache_behavior(b: &CacheBehavior) -> Value {
    let object = Object::new()
        .set("PathPattern", b.path_pattern())
        .set("TargetOriginId", b.target_origin_id());
    behavior(object, behavior_of!(b))
}

fn behavior(object: Object, b: Behavior<'_>) -> Value {
    let [min, default, max] = b.ttls;
    object
        .opt(
            "TrustedSigners",
            b.trusted_signers
                .map(|t| trusted(t.enabled(), t.quantity(), t.items.as_deref())),
        )
        .opt(
            "TrustedKeyGroups",
            b.trusted_key_groups
                .map(|t| trusted(t.enabled(), t.quantity(), t.items.as_deref())),
        )
        .set("ViewerProtocolPolicy", b.viewer_protocol_policy)
        .opt(
            "AllowedMethods",
            b.allowed_methods.map(|m| {
                let method =
                    |method: &aws_sdk_cloudfront::types::Method| Value::from(method.as_str());
                Object::new()
                    .set("Quantity", m.quantity())
                    .list("Items", m.items(), method)
                    .opt(
                        "CachedMethods",
                        m.cached_methods()
                            .map(|c| quantified(c.quantity(), Some(c.items()), method)),
                    )
                    .build()
            }),
        )
        .opt("SmoothStreaming", b.smooth_streaming)
        .opt("Compress", b.compress)
        .opt(
            "LambdaFunctionAssociations",
            b.lambda_function_associations.map(|l| {
                quantified(l.quantity(), l.items.as_deref(), |association| {
                    Object::new()
                        .set("LambdaFunctionARN", association.lambda_function_arn())
                        .set("EventType", association.event_type().as_str())
                        .opt("IncludeBody", association.include_body())
                        .build()
                })
            }),
        )
        .opt(
            "FunctionAssociations",
            b.function_associations.map(|f| {
                quantified(f.quantity(), f.items.as_deref(), |association| {
                    Object::new()
                        .set("FunctionARN", association.function_arn())
                        .set("EventType", association.event_type().as_str())
                        .build()
                })
            }),
        )
        .opt("FieldLevelEncryptionId", b.field_level_encryption_id)
        .opt("RealtimeLogConfigArn", b.realtime_log_config_arn)
        .opt("CachePolicyId", b.cache_policy_id)
        .opt("OriginRequestPolicyId", b.origin_request_policy_id)
        .opt("ResponseHeadersPolicyId", b.response_headers_policy_id)
        .opt(
            "GrpcConfig",
            b.grpc_enabled
                .map(|enabled| Object::new().set("Enabled", enabled).build()),
        )
        .opt("ForwardedValues", b.forwarded_values.map(forwarded_values))
        .opt("MinTTL", min)
        .opt("DefaultTTL", default)
        .opt("MaxTTL", max)
        .build()
}

fn trusted(enabled: bool, quantity: i32, items: Option<&[String]>) -> Value {
    Object::new()
        .set("Enabled", enabled)
        .set("Quantity", quantity)
        .opt_list("Items", items, text)
        .build()
}

fn forwarded_values(f: &ForwardedValues) -> Value {
    Object::new()
        .set("QueryString", f.query_string())
        .opt(
            "Cookies",
            f.cookies().map(|c| {
                Object::new()
                    .set("Forward", c.forward().as_str())
                    .opt(
                        "WhitelistedNames",
                        c.whitelisted_names()
                            .map(|n| quantified(n.quantity(), n.items.as_deref(), text)),
                    )
                    .build()
            }),
        )
        .opt(
            "Headers",
            f.headers()
                .map(|h| quantified(h.quantity(), h.items.as_deref(), text)),
        )
        .opt(
            "QueryStringCacheKeys",
            f.query_string_cache_keys()
                .map(|k| quantified(k.quantity(), k.items.as_deref(), text)),
        )
        .build()
}

fn custom_error_responses(responses: &aws_sdk_cloudfront::types::CustomErrorResponses) -> Value {
    quantified(responses.quantity(), responses.items.as_deref(), |r| {
        Object::new()
            .set("ErrorCode", r.error_code())
            .opt("ResponsePagePath", r.response_page_path())
            .opt("ResponseCode", r.response_code())
            .opt("ErrorCachingMinTTL", r.error_caching_min_ttl())
            .build()
    })
}

// `Certificate` and `CertificateSource` are deprecated, and still in CloudFront's answers.
#[allow(deprecated)]
fn viewer_certificate(v: &ViewerCertificate) -> Value {
    Object::new()
        .opt(
            "CloudFrontDefaultCertificate",
            v.cloud_front_default_certificate(),
        )
        .opt("IAMCertificateId", v.iam_certificate_id())
        .opt("ACMCertificateArn", v.acm_certificate_arn())
        .opt(
            "SSLSupportMethod",
            v.ssl_support_method().map(|m| m.as_str()),
        )
        .opt(
            "MinimumProtocolVersion",
            v.minimum_protocol_version().map(|m| m.as_str()),
        )
        .opt("Certificate", v.certificate())
        .opt(
            "CertificateSource",
            v.certificate_source().map(|s| s.as_str()),
        )
        .build()
}

fn restrictions(geo: Option<&aws_sdk_cloudfront::types::GeoRestriction>) -> Value {
    Object::new()
        .opt(
            "GeoRestriction",
            geo.map(|g| {
                Object::new()
                    .set("RestrictionType", g.restriction_type().as_str())
                    .set("Quantity", g.quantity())
                    .opt_list("Items", g.items.as_deref(), text)
                    .build()
            }),
        )
        .build()
}

fn viewer_mtls_config(m: &ViewerMtlsConfig) -> Value {
    Object::new()
        .set("Mode", m.mode().as_str())
        .opt(
            "TrustStoreConfig",
            m.trust_store_config().map(|t| {
                Object::new()
                    .set("TrustStoreId", t.trust_store_id())
                    .opt(
                        "AdvertiseTrustStoreCaNames",
                        t.advertise_trust_store_ca_names(),
                    )
                    .opt("IgnoreCertificateExpiry", t.ignore_certificate_expiry())
                    .build()
            }),
        )
        .build()
}

// ---- invalidations -------------------------------------------------------------------------

/// `aws cloudfront create-invalidation`.
pub fn create_invalidation(output: &CreateInvalidationOutput) -> Value {
    Object::new()
        .opt("Location", output.location())
        .opt("Invalidation", output.invalidation().map(invalidation))
        .build()
}

/// `aws cloudfront get-invalidation`.
pub fn get_invalidation(output: &GetInvalidationOutput) -> Value {
    Object::new()
        .opt("Invalidation", output.invalidation().map(invalidation))
        .build()
}

/// `aws cloudfront list-invalidations`, all pages joined.
pub fn list_invalidations(items: Option<&[InvalidationSummary]>) -> Value {
    paginated("InvalidationList", items, |summary| {
        Object::new()
            .set("Id", summary.id())
            .opt(
                "CreateTime",
                time(Some(summary.create_time()), Stamp::Millis),
            )
            .set("Status", summary.status())
            .build()
    })
}

fn invalidation(i: &Invalidation) -> Value {
    Object::new()
        .set("Id", i.id())
        .set("Status", i.status())
        .opt("CreateTime", time(Some(i.create_time()), Stamp::Millis))
        .opt(
            "InvalidationBatch",
            i.invalidation_batch().map(|batch| {
                Object::new()
                    .opt(
                        "Paths",
                        batch
                            .paths()
                            .map(|p| quantified(p.quantity(), p.items.as_deref(), text)),
                    )
                    .set("CallerReference", batch.caller_reference())
                    .build()
            }),
        )
        .build()
}

// ---- shared forms --------------------------------------------------------------------------

/// A CloudFront list: its `Quantity`, and its `Items` when the service sent them.
fn quantified<T>(quantity: i32, items: Option<&[T]>, render: impl Fn(&T) -> Value) -> Value {
    Object::new()
        .set("Quantity", quantity)
        .opt_list("Items", items, render)
        .build()
}

/// What the CLI's paginator makes of a list call: the items under the list's name, or
/// nothing at all when no page had any (so the CLI prints nothing).
fn paginated<T>(name: &str, items: Option<&[T]>, render: impl Fn(&T) -> Value) -> Value {
    match items {
        Some(items) => Object::new()
            .set(name, Object::new().list("Items", items, render).build())
            .build(),
        None => Object::new().build(),
    }
}

fn text(item: &impl AsRef<str>) -> Value {
    Value::from(item.as_ref())
}
