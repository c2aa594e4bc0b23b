"""The five reporting types of OCOP producers (chủ thể OCOP) and booth statuses."""
from storefront.vocab import Choice, Vocabulary

ENTITY_TYPES = Vocabulary(
    [
        Choice("ho_kinh_doanh", "Hộ kinh doanh", "Household business"),
        Choice("cong_ty", "Công ty", "Company"),
        Choice("doanh_nghiep", "Doanh nghiệp", "Enterprise"),
        Choice("hop_tac_xa", "Hợp tác xã", "Cooperative"),
        Choice("to_hop_tac", "Tổ hợp tác", "Cooperative group"),
    ],
    aliases={
        "hkd": "ho_kinh_doanh",
        "hộ sản xuất": "ho_kinh_doanh",
        "công ty tnhh": "cong_ty",
        "công ty cổ phần": "cong_ty",
        "doanh nghiệp tư nhân": "doanh_nghiep",
        "dntn": "doanh_nghiep",
        "htx": "hop_tac_xa",
        "tổ hợp tác": "to_hop_tac",
        "tht": "to_hop_tac",
    },
)

DOCUMENT_KINDS = Vocabulary(
    [
        Choice("ocop_certificate", "Giấy chứng nhận OCOP", "OCOP certificate"),
        Choice("food_safety", "Giấy chứng nhận an toàn thực phẩm", "Food-safety certificate"),
        Choice("business_registration", "Giấy đăng ký kinh doanh", "Business registration"),
        Choice("other", "Giấy tờ khác", "Other document"),
    ]
)

VENDOR_STATUSES = Vocabulary(
    [
        Choice("pending", "Chờ duyệt", "Pending"),
        Choice("approved", "Đã duyệt", "Approved"),
        Choice("rejected", "Cần bổ sung", "Rejected"),
        Choice("suspended", "Tạm ngưng", "Suspended"),
    ]
)
